"""/api/v1/: one router; each app registers its viewsets here."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from approvals import api as approvals_api
from accountability import api as accountability_api
from assessment import api as assessment_api
from cases import api as cases_api
from complaints import api as complaints_api
from core import api as core_api
from deadlines import api as deadlines_api
from discipline import api as discipline_api
from disputes import api as disputes_api
from documents import api as documents_api
from evidence import api as evidence_api
from jointcases import api as jointcases_api
from infosharing import api as infosharing_api
from exemption import api as exemption_api
from guidingcases import api as guidingcases_api
from inforeports import api as inforeports_api
from inspections import api as inspections_api
from meetings import api as meetings_api
from townships import api as townships_api
from training import api as training_api
from transfers import api as transfers_api

router = DefaultRouter()
router.register("organizations", core_api.OrganizationViewSet, basename="organization")
router.register("events", core_api.EventViewSet, basename="event")
router.register("attachments", core_api.AttachmentViewSet, basename="attachment")
router.register("deadlines", deadlines_api.DeadlineViewSet, basename="deadline")
router.register("notifications", deadlines_api.NotificationViewSet, basename="notification")
router.register("documents", documents_api.DocumentViewSet, basename="document")
router.register("cases", cases_api.CaseViewSet, basename="case")
router.register("case-parties", cases_api.PartyViewSet, basename="case-party")
router.register("evidence", evidence_api.EvidenceItemViewSet, basename="evidence")
router.register("discipline", discipline_api.DisciplineReferralViewSet, basename="discipline-referral")
router.register("meetings", meetings_api.MeetingViewSet, basename="meeting")
router.register("resolutions", meetings_api.ResolutionViewSet, basename="resolution")
router.register("disputes", disputes_api.DisputeViewSet, basename="dispute")  # disputes (M2, M15.6)
# complaints (M3, M15.2, M15.5)
router.register("complaints", complaints_api.ComplaintViewSet, basename="complaint")
router.register("complaint-channels", complaints_api.ChannelViewSet, basename="complaint-channel")
router.register("complaint-assistance", complaints_api.AssistanceViewSet, basename="complaint-assistance")
# approvals/, jointcases/ (issue 20)
router.register("approval-decisions", approvals_api.DecisionViewSet, basename="approval-decision")
router.register("joint-operations", jointcases_api.JointOperationViewSet, basename="joint-operation")
router.register("guidance-tasks", jointcases_api.GuidanceTaskViewSet, basename="guidance-task")
# infosharing (M5)
router.register("web-inspections", infosharing_api.WebInspectionViewSet, basename="web-inspection")
router.register("statistics-requests", infosharing_api.StatisticsRequestViewSet, basename="statistics-request")
router.register("info-queries", infosharing_api.InfoQueryViewSet, basename="info-query")
# guidingcases, training, inforeports (M11, W1, W3)
router.register("guiding-cases", guidingcases_api.GuidingCaseViewSet, basename="guiding-case")
router.register("training-sessions", training_api.TrainingSessionViewSet, basename="training-session")
router.register("info-reports", inforeports_api.InfoReportViewSet, basename="info-report")
# inspections app (M7)
router.register("inspections", inspections_api.CheckViewSet, basename="inspection")
router.register("case-reviews", inspections_api.CaseReviewViewSet, basename="case-review")
router.register("leads", inspections_api.LeadViewSet, basename="lead")

router.register("transfers", transfers_api.TransferViewSet, basename="transfer")
router.register("transfer-orders", transfers_api.TransferOrderViewSet, basename="transfer-order")
# accountability (M8) and exemption (M12)
router.register("accountability", accountability_api.ProceedingViewSet, basename="accountability")
router.register("interference-records", exemption_api.InterferenceRecordViewSet,
                basename="interference-record")
# The M15 records first: their prefixes would otherwise match townships/<pk>/.
router.register("townships/dissuasions", townships_api.DissuasionViewSet, basename="township-dissuasion")
router.register("townships/consultations", townships_api.ConsultationViewSet, basename="township-consultation")
router.register("townships/info-notices", townships_api.InfoNoticeViewSet, basename="township-info-notice")
router.register("townships", townships_api.TownshipTransferViewSet, basename="township-transfer")
# assessment (M9)
router.register("appraisals", assessment_api.AppraisalViewSet, basename="appraisal")
router.register("self-assessments", assessment_api.SelfAssessmentViewSet, basename="self-assessment")
router.register("officer-evaluations", assessment_api.OfficerEvaluationViewSet,
                basename="officer-evaluation")

urlpatterns = [
    path("me/", core_api.MeView.as_view(), name="api-me"),
    path("auth/token/", core_api.TokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
