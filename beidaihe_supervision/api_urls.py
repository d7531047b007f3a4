"""/api/v1/: one router; each app registers its viewsets here."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from assessment import api as assessment_api
from cases import api as cases_api
from core import api as core_api
from deadlines import api as deadlines_api
from discipline import api as discipline_api
from documents import api as documents_api
from evidence import api as evidence_api
from meetings import api as meetings_api
from townships import api as townships_api
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

router.register("transfers", transfers_api.TransferViewSet, basename="transfer")
router.register("transfer-orders", transfers_api.TransferOrderViewSet, basename="transfer-order")
# The M15 records first: their prefixes would otherwise match townships/<pk>/.
router.register("townships/dissuasions", townships_api.DissuasionViewSet, basename="township-dissuasion")
router.register("townships/complaints", townships_api.ComplaintViewSet, basename="township-complaint")
router.register("townships/assistance", townships_api.AssistanceViewSet, basename="township-assistance")
router.register("townships/consultations", townships_api.ConsultationViewSet, basename="township-consultation")
router.register("townships/disputes", townships_api.DisputeViewSet, basename="township-dispute")
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
