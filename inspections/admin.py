from django.contrib import admin

from .models import ReviewCriterion, ReviewStandard


class CriterionInline(admin.TabularInline):
    model = ReviewCriterion
    extra = 0


@admin.register(ReviewStandard)
class ReviewStandardAdmin(admin.ModelAdmin):
    """The scoring standards are data the bureau keeps (items, points, veto items)."""

    list_display = ("name", "pass_mark", "is_default")
    inlines = [CriterionInline]
