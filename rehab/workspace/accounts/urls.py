from django.urls import path

from rehab.workspace.accounts import views

urlpatterns = [
    path("login/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/two-factor/recovery-codes/", views.recovery_codes, name="two_factor_recovery_codes"),
    path("account/two-factor/turn-off/", views.two_factor_turn_off, name="two_factor_turn_off"),
]
