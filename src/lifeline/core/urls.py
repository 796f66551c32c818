from django.urls import path

from lifeline.core.endpoints import (
    AuditListApi,
    MeApi,
    SiteListApi,
    TokenObtainApi,
    TokenRevokeApi,
)

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("auth/token/revoke/", TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("sites/", SiteListApi.as_view(), name="api-sites"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("audit/", AuditListApi.as_view(), name="api-audit"),
]
