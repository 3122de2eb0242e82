from django.urls import path

from accounts import api, views

urlpatterns = [
    path("accounts/second-factor/", views.enrol, name="second-factor-enrol"),
    path("api/auth/login/", api.LoginView.as_view(), name="api-login"),
    path("api/auth/logout/", api.LogoutView.as_view(), name="api-logout"),
    path("api/auth/logout-all/", api.LogoutAllView.as_view(), name="api-logout-all"),
]
