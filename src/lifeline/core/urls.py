from django.urls import path

from lifeline.core.endpoints import AuditListApi, MeApi, SiteListApi, TokenObtainApi

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("sites/", SiteListApi.as_view(), name="api-sites"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("audit/", AuditListApi.as_view(), name="api-audit"),
]
