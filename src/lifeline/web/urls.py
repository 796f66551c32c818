from django.contrib.auth import views as auth_views
from django.urls import path

from lifeline.web import views

app_name = "web"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:person_id>/status/", views.person_status, name="person_status"),
    path("people/<uuid:person_id>/conditions/", views.person_condition, name="person_condition"),
    path("households/", views.household_list, name="household_list"),
    path("households/<uuid:household_id>/", views.household_detail, name="household_detail"),
]
