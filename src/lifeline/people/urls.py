"""The registry's API routes, under /api/. Ids are matched as text so that a malformed id
gets a JSON error naming it rather than an HTML 404."""

from django.urls import URLPattern

from lifeline.core.api import operations
from lifeline.people import api
from lifeline.people.matching import api as matching_api

urlpatterns: list[URLPattern] = [
    *operations("persons/", api.PersonListApi, api.PersonRegisterApi, name="api-persons"),
    *operations(
        "persons/<str:person_id>/",
        api.PersonDetailApi,
        api.PersonUpdateApi,
        api.PersonDeleteApi,
        name="api-person",
    ),
    *operations(
        "persons/<str:person_id>/status/", api.PersonStatusRecordApi, name="api-person-status"
    ),
    *operations(
        "persons/<str:person_id>/conditions/",
        api.PersonConditionRecordApi,
        name="api-person-conditions",
    ),
    *operations(
        "persons/<str:person_id>/history/", api.PersonHistoryApi, name="api-person-history"
    ),
    *operations("persons/<str:person_id>/merge/", api.PersonMergeApi, name="api-person-merge"),
    *operations("merges/<str:merge_id>/undo/", api.PersonMergeUndoApi, name="api-merge-undo"),
    *operations("households/", api.HouseholdListApi, api.HouseholdCreateApi, name="api-households"),
    *operations(
        "households/<str:household_id>/",
        api.HouseholdDetailApi,
        api.HouseholdUpdateApi,
        name="api-household",
    ),
    *operations(
        "households/<str:household_id>/move/", api.HouseholdMoveApi, name="api-household-move"
    ),
    *operations(
        "households/<str:household_id>/members/",
        api.HouseholdMemberAddApi,
        name="api-household-members",
    ),
    *operations(
        "households/<str:household_id>/members/<str:person_id>/",
        api.HouseholdMemberRemoveApi,
        name="api-household-member",
    ),
]

# Name search, duplicates, tracing and protection cases (issue 3).
urlpatterns += matching_api.urlpatterns
