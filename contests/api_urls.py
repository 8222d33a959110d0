from django.urls import path

from contests import api

app_name = "contests-api"
urlpatterns = [
    path("contests/<slug:slug>", api.contest_info, name="contest"),
    path("contests/<slug:slug>/register", api.register, name="register"),
    path("contests/<slug:slug>/attempts", api.start, name="start"),
    path("contests/<slug:slug>/leaderboard", api.leaderboard, name="leaderboard"),
    path("contests/<slug:slug>/participation", api.participation, name="participation"),
    path("attempts/<int:attempt_id>", api.attempt_detail, name="attempt"),
    path("attempts/<int:attempt_id>/answers/<int:question_id>", api.save_answer, name="answer"),
    path("attempts/<int:attempt_id>/prediction", api.save_prediction, name="prediction"),
    path("attempts/<int:attempt_id>/submit", api.submit, name="submit"),
]
