"""The default 100-point case-file review standard (案卷评查标准), kept as data: the bureau
changes items, points and veto items in the admin, not in code."""
from django.db import migrations

NAME = "行政执法案卷评查标准（100分）"
# (section, item, points; 0 with veto=True for a veto item that fails the file outright)
CRITERIA = [
    ("subject", "执法主体合法，在法定职权范围内实施行政执法行为", 5, False),
    ("subject", "执法人员具备执法资格，不少于两人并出示执法证件", 5, False),
    ("subject", "执法主体不合法或者超越法定职权", 0, True),
    ("facts", "违法事实清楚，当事人认定准确", 10, False),
    ("facts", "证据确实、充分，取证合法，证据之间能够相互印证", 10, False),
    ("facts", "证据形式符合要求（询问笔录、书证、物证、视听资料、复制件）", 5, False),
    ("facts", "主要事实不清、主要证据不足", 0, True),
    ("law", "适用法律、法规、规章正确", 10, False),
    ("law", "引用法律条款准确、完整、具体", 5, False),
    ("law", "适用法律依据错误", 0, True),
    ("procedure", "立案、调查、审批等程序完备，时限符合规定", 5, False),
    ("procedure", "调查取证程序合法，现场检查和询问有笔录并签名", 5, False),
    ("procedure", "依法告知当事人陈述、申辩和听证的权利", 5, False),
    ("procedure", "重大执法决定经法制审核", 5, False),
    ("procedure", "执法文书依法送达，送达程序合法、及时", 5, False),
    ("procedure", "违反法定程序，严重影响当事人合法权益", 0, True),
    ("discretion", "适用行政裁量基准，裁量幅度符合规定", 5, False),
    ("discretion", "过罚相当，在决定中说明裁量理由", 5, False),
    ("documents", "执法文书格式规范、内容完整、用语准确", 5, False),
    ("documents", "执法决定按规定期限公示", 5, False),
    ("documents", "案卷按规定立卷归档，材料齐全、排列有序", 5, False),
]


def load(apps, schema_editor):
    Standard = apps.get_model("inspections", "ReviewStandard")
    Criterion = apps.get_model("inspections", "ReviewCriterion")
    standard, created = Standard.objects.get_or_create(name=NAME, defaults={"pass_mark": 80, "is_default": True})
    if created:
        Criterion.objects.bulk_create([
            Criterion(standard=standard, section=section, text=text, points=points, is_veto=veto, order=n)
            for n, (section, text, points, veto) in enumerate(CRITERIA, start=1)])


def unload(apps, schema_editor):
    apps.get_model("inspections", "ReviewStandard").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
