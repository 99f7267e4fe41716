from django.urls import path

from shuxiang.schools import views

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="choose"),
    path("<slug:code>/switch/", views.school_switch, name="switch"),
    path("settings/", views.settings_view, name="settings"),
    path("terms/", views.term_list, name="terms"),
    path("terms/new/", views.term_edit, name="term_create"),
    path("terms/<int:term_id>/", views.term_edit, name="term_edit"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/mark/", views.calendar_mark, name="calendar_mark"),
]
