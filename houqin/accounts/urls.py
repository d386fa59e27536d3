from django.urls import path

from houqin.accounts import views, views_admin

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views_admin.UserListView.as_view(), name="user_list"),
    path("users/new/", views_admin.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/edit/", views_admin.UserUpdateView.as_view(), name="user_update"),
    path("users/<int:pk>/password/", views_admin.UserPasswordView.as_view(), name="user_password"),
]
