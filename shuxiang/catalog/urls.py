from django.urls import path

from shuxiang.catalog import export_views, import_views, label_views, register_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("new/", views.quick_catalogue, name="quick"),
    path("records/<int:record_id>/", views.record_detail, name="record"),
    path("records/<int:record_id>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:record_id>/copies/", views.add_copies, name="add_copies"),
    path("items/edit/", views.edit_items, name="edit_items"),
    path("classes/", views.class_browse, name="classes"),
    path("classes/<str:code>/", views.class_browse, name="class"),
    path("export.xlsx", export_views.export_xlsx, name="export_xlsx"),
    path("export.mrc", export_views.export_marc, name="export_marc"),
    path("import/", import_views.marc_upload, name="import_marc"),
    path("import/<int:job_id>/", import_views.import_job, name="import_job"),
    path("import/<int:job_id>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("receive/", import_views.receive, name="receive"),
    path("labels/", label_views.label_sheet, name="labels"),
    path("registers/individual/", register_views.individual_register, name="individual_register"),
    path("registers/summary/", register_views.summary_register, name="summary_register"),
    path("registers/classified/", register_views.classified_register, name="classified_register"),
]
