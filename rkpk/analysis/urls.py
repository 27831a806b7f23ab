from django.urls import path

from rkpk.analysis.views import compilation, drafts, goals, mapping

app_name = "analysis"
urlpatterns = [
    # Strategic goals, their indicators and targets
    path("goals/", goals.goal_list, name="goal_list"),
    path("goals/periods/add/", goals.goals_period_add, name="goals_period_add"),
    path("goals/<int:period_id>/goal/", goals.goals_goal_save, name="goals_goal_add"),
    path(
        "goals/<int:period_id>/goal/<int:goal_id>/",
        goals.goals_goal_save,
        name="goals_goal_edit",
    ),
    path(
        "goals/goal/<int:goal_id>/indicator/",
        goals.goals_indicator_save,
        name="goals_indicator_add",
    ),
    path(
        "goals/goal/<int:goal_id>/indicator/<int:indicator_id>/",
        goals.goals_indicator_save,
        name="goals_indicator_edit",
    ),
    path("goals/import/", goals.goals_import, name="goals_import"),
    path("goals/template.xlsx", goals.goals_template, name="goals_template"),
    # The analysis draft
    path("drafts/", drafts.draft_detail, name="draft_current"),
    path("drafts/<int:year>/", drafts.draft_detail, name="draft_detail"),
    path("drafts/<int:year>/refresh/", drafts.draft_create, name="draft_create"),
    path(
        "drafts/sections/<int:section_id>/",
        drafts.draft_section_save,
        name="draft_section_save",
    ),
    path("drafts/<int:year>/submit/", drafts.draft_submit, name="draft_submit"),
    path("drafts/<int:year>/review/", drafts.draft_review, name="draft_review"),
    path("drafts/<int:year>/compare/", drafts.draft_compare, name="draft_compare"),
    # Mapping unit indicators to goals
    path("mapping/<int:year>/", mapping.mapping_list, name="mapping_list"),
    # Compilations (step 4)
    path("compilations/", compilation.compilation_index, name="compilation_index"),
    path("compilations/<int:year>/", compilation.compilation_list, name="compilation_list"),
    path(
        "compilations/<int:year>/compile/",
        compilation.compilation_compile,
        name="compilation_compile",
    ),
    path(
        "compilations/<int:year>/coverage/",
        compilation.compilation_coverage,
        name="compilation_coverage",
    ),
    path(
        "compilations/<int:year>/v<int:number>/",
        compilation.compilation_detail,
        name="compilation_detail",
    ),
    path(
        "compilations/<int:year>/v<int:number>/<str:doc>.<str:fmt>",
        compilation.compilation_download,
        name="compilation_download",
    ),
]
