"""The core API (organisations, audit events, attachments, me) and the scoped viewset
mixin every app uses."""
from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from . import policy, services, twofactor
from .authentication import token_expires_at
from .models import Attachment, Event, Membership, Organization, User


class ScopedViewSetMixin:
    """Every API list and object fetch goes through the model's visibility scope, and an
    endpoint whose page needs a capability to be read (``read_capability``) checks the
    same one, through the same ``policy.require_open``."""

    read_capability: str | None = None

    def check_permissions(self, request):
        super().check_permissions(request)
        if self.read_capability is not None:
            policy.require_open(request.user, self.read_capability)

    def get_queryset(self):
        return policy.visible_to(self.request.user, super().get_queryset())


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "short_name", "kind", "kind_display", "parent",
                  "complaint_phone", "complaint_mailbox", "is_active"]


class OrganizationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    filterset_fields = ["kind", "is_active", "parent"]
    search_fields = ["name", "short_name"]


class EventSerializer(serializers.ModelSerializer):
    # Null for what the system does by itself (the sweep, a notification sent on no
    # unit's behalf): the schema says so, as the responses do.
    actor = serializers.StringRelatedField(allow_null=True)
    organization = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Event
        fields = ["id", "created_at", "actor", "organization", "verb", "target_repr",
                  "target_id", "changes", "note"]


class EventViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "audit.view"  # as /audit/
    queryset = Event.objects.select_related("actor", "organization")
    serializer_class = EventSerializer
    filterset_fields = ["verb", "organization"]
    search_fields = ["target_repr", "note"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "original_name", "sha256", "size", "content_type", "organization",
                  "created_at", "description"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(label="文件")
    organization = serializers.PrimaryKeyRelatedField(label="上传单位",
                                                      queryset=Organization.objects.all())
    description = serializers.CharField(label="说明", required=False, allow_blank=True,
                                        max_length=200)


class AttachmentViewSet(ScopedViewSetMixin, mixins.CreateModelMixin,
                        viewsets.ReadOnlyModelViewSet):
    queryset = Attachment.objects.all()
    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser]

    def get_serializer_class(self):
        return AttachmentUploadSerializer if self.action == "create" else AttachmentSerializer

    def create(self, request, *args, **kwargs):
        upload = AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        f = upload.validated_data["file"]
        attachment = services.attachment_store(
            actor=request.user, organization=upload.validated_data["organization"],
            fileobj=f, name=f.name, size=f.size,
            description=upload.validated_data.get("description", ""),
        )
        return Response(AttachmentSerializer(attachment).data, status=201)


class MembershipSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name")
    role_display = serializers.CharField(source="get_role_display")

    class Meta:
        model = Membership
        fields = ["organization", "organization_name", "role", "role_display"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True)

    class Meta:
        model = User
        fields = ["username", "real_name", "certificate_no", "memberships"]


class MeView(generics.GenericAPIView):
    """The signed-in user, with organisations and roles."""

    serializer_class = MeSerializer

    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名")
    password = serializers.CharField(label="密码", style={"input_type": "password"},
                                     trim_whitespace=False)
    otp_code = serializers.CharField(label="动态口令或恢复码", required=False, allow_blank=True,
                                     help_text="启用或须使用动态口令的用户必填。")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(label="接口令牌")
    expires_at = serializers.DateTimeField(label="失效时间")


class TokenView(generics.GenericAPIView):
    """POST: a new API token for a user name and password — and the dynamic code when the
    user signs in with a second factor — (an earlier token stops working); it expires
    after ``API_TOKEN_HOURS``. DELETE: revoke the caller's token."""

    serializer_class = TokenRequestSerializer

    def get_permissions(self):
        request = getattr(self, "request", None)
        return [AllowAny()] if request is not None and request.method == "POST" \
            else super().get_permissions()

    def get_authenticators(self):
        # A POST signs in with the body's credentials; a session cookie alone must not
        # mint a token (and would demand a CSRF token of an API client).
        request = getattr(self, "request", None)  # None while the schema is generated
        return [] if request is not None and request.method == "POST" \
            else super().get_authenticators()

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Through django-axes like the login page: failures count towards the lock-out.
        user = authenticate(request._request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if getattr(request._request, "axes_locked_out", False):
            return Response({"detail": "登录失败次数过多，账户已暂时锁定，请稍后再试。"},
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None:
            return Response({"detail": "用户名或密码不正确。"}, status=status.HTTP_400_BAD_REQUEST)
        # Every factor the user needs, as the pages ask (core.middleware.SignInStepsMiddleware).
        if twofactor.needs_second_factor(user):
            if not twofactor.has_totp(user):
                return Response({"detail": "请先在网页上设置动态口令，再获取接口令牌。"},
                                status=status.HTTP_403_FORBIDDEN)
            if services.otp_verify(user=user, code=data.validated_data.get("otp_code", "")) is None:
                return Response({"otp_code": ["动态口令不正确或已过期。"]},
                                status=status.HTTP_400_BAD_REQUEST)
        if user.password_change_required:
            return Response({"detail": "请先在网页上修改初始密码，再获取接口令牌。"},
                            status=status.HTTP_403_FORBIDDEN)
        token = services.api_token_issue(actor=user)
        return Response(TokenSerializer({"token": token.key,
                                         "expires_at": token_expires_at(token)}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.api_token_revoke(actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
