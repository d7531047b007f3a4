"""On PostgreSQL the database itself keeps issued documents immutable: an UPDATE may only
move the status away from 已签发 (voiding records who, when and why), never rewrite the
number, file, hash, issuer or data; a DELETE is refused; and a number counter can never
go back or disappear, so a number is never given twice."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION documents_document_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '已签发的公文不能删除';
    END IF;
    IF (NEW.kind, NEW.title, NEW.issuer_id, NEW.addressee_id, NEW.number_code, NEW.year,
        NEW.sequence, NEW.version, NEW.number, NEW.previous_id, NEW.data, NEW.file,
        NEW.sha256, NEW.size, NEW.issued_by_id, NEW.issued_at, NEW.target_type_id,
        NEW.target_id)
       IS DISTINCT FROM
       (OLD.kind, OLD.title, OLD.issuer_id, OLD.addressee_id, OLD.number_code, OLD.year,
        OLD.sequence, OLD.version, OLD.number, OLD.previous_id, OLD.data, OLD.file,
        OLD.sha256, OLD.size, OLD.issued_by_id, OLD.issued_at, OLD.target_type_id,
        OLD.target_id) THEN
        RAISE EXCEPTION '已签发的公文不能修改';
    END IF;
    IF OLD.status <> 'issued' AND (NEW.status, NEW.voided_at, NEW.voided_by_id, NEW.void_reason)
       IS DISTINCT FROM (OLD.status, OLD.voided_at, OLD.voided_by_id, OLD.void_reason) THEN
        RAISE EXCEPTION '已作废或已更正的公文不能再变更';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER documents_document_immutable
    BEFORE UPDATE OR DELETE ON documents_document
    FOR EACH ROW EXECUTE FUNCTION documents_document_immutable();

CREATE OR REPLACE FUNCTION documents_counter_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '发文字号计数不能删除';
    END IF;
    IF NEW.last_sequence < OLD.last_sequence OR NEW.issuer_id <> OLD.issuer_id
       OR NEW.number_code <> OLD.number_code OR NEW.year <> OLD.year THEN
        RAISE EXCEPTION '发文字号不能回退或重用';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER documents_counter_forward_only
    BEFORE UPDATE OR DELETE ON documents_documentcounter
    FOR EACH ROW EXECUTE FUNCTION documents_counter_forward_only();
"""
DROP = """
DROP TRIGGER IF EXISTS documents_document_immutable ON documents_document;
DROP FUNCTION IF EXISTS documents_document_immutable();
DROP TRIGGER IF EXISTS documents_counter_forward_only ON documents_documentcounter;
DROP FUNCTION IF EXISTS documents_counter_forward_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
