"""Balance URLs, included by marketplace/urls.py: the seller's Saldo pages under /mart/penjual/saldo/ and the
finance staff's pages under /mart/keuangan/ (both in the marketplace namespace)."""

from django.urls import path

from marketplace.balance.views import balance, finance

seller = [
    path("", balance.balance, name="seller_balance"),
    path("tarik/", balance.payout_request, name="seller_payout_request"),
    path("pencairan/", balance.payout_list, name="seller_payout_list"),
    path("pencairan/<int:pk>/", balance.payout_detail, name="seller_payout_detail"),
]

finance_staff = [
    path("pencairan/", finance.payout_queue, name="finance_payouts"),
    path("pencairan/csv/", finance.payout_export, name="finance_payouts_csv"),
    path("pencairan/<int:pk>/<slug:action>/", finance.payout_action, name="finance_payout_action"),
    path("rekonsiliasi/", finance.findings, name="finance_findings"),
]
