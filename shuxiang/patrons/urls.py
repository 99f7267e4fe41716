from django.urls import path

from shuxiang.patrons import card_views, roster_views, views

app_name = "patrons"
urlpatterns = [
    path("", views.reader_list, name="readers"),
    path("new/", views.reader_edit, name="reader_create"),
    path("<int:patron_id>/", views.reader_detail, name="reader"),
    path("<int:patron_id>/edit/", views.reader_edit, name="reader_edit"),
    path("<int:patron_id>/photo/", views.reader_photo, name="reader_photo"),
    path("<int:patron_id>/status/", views.reader_status, name="reader_status"),
    path("<int:patron_id>/reissue/", views.card_reissue, name="card_reissue"),
    path("classes/", views.class_list, name="classes"),
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
    path("classes/<int:class_id>/export.xlsx", views.class_export, name="class_export"),
    path("cards/", card_views.cards, name="cards"),
    path("cards/settings/", card_views.card_settings, name="card_settings"),
    path("roster/", roster_views.roster_import, name="roster_import"),
    path("promotion/", roster_views.promotion, name="promotion"),
]
