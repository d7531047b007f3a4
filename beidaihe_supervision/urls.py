from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.contrib.auth.decorators import login_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import health, views as core_views

admin.site.site_header = "北戴河区行政执法协调监督平台 · 系统管理"
admin.site.site_title = "系统管理"
admin.site.index_title = "用户、单位与基础数据"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/otp/", core_views.otp_verify, name="otp_verify"),
    path("accounts/otp/setup/", core_views.otp_setup, name="otp_setup"),
    path("accounts/otp/recovery-codes/", core_views.otp_recovery_codes, name="otp_recovery_codes"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/password_change_done.html"), name="password_change_done"),
    path("", include("core.urls")),
    path("deadlines/", include("deadlines.urls")),
    path("documents/", include("documents.urls")),
    path("cases/", include("cases.urls")),
    path("evidence/", include("evidence.urls")),
    path("discipline/", include("discipline.urls")),
    path("transfers/", include("transfers.urls")),
    path("townships/", include("townships.urls")),
    path("meetings/", include("meetings.urls")),
    # approvals/, jointcases/ (issue 20)
    path("approvals/", include("approvals.urls")),
    path("joint/", include("jointcases.urls")),
    path("infosharing/", include("infosharing.urls")),  # infosharing (M5)
    path("accountability/", include("accountability.urls")),  # accountability (M8)
    path("exemption/", include("exemption.urls")),  # exemption (M12)
    path("dashboard/", include("dashboard.urls")),
    path("complaints/", include("complaints.urls")),  # complaints (M3)
    path("public/complaints/", include("complaints.public_urls")),  # complaints (M3): the portal's section
    # guidingcases, training, inforeports (M11, W1, W3); the published guiding cases on the portal
    path("guiding-cases/", include("guidingcases.urls")),
    path("training/", include("training.urls")),
    path("info-reports/", include("inforeports.urls")),
    path("public/guiding-cases/", include("guidingcases.public_urls")),
    path("public/", include("portal.urls")),
    path("disputes/", include("disputes.urls")),  # disputes (M2, M15.6)
    path("inspections/", include("inspections.urls")),  # inspections app
    path("assessment/", include("assessment.urls")),  # assessment: M9, W2
    path("admin/", admin.site.urls),
    path("api/v1/", include("beidaihe_supervision.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script (CSP).
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
         name="api-docs"),
]

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
