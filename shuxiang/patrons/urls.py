from django.urls import path

from shuxiang.patrons import views

app_name = "patrons"
urlpatterns = [
    path("classes/", views.class_list, name="classes"),
    path("classes/<int:class_id>/", views.class_detail, name="class_detail"),
]
