"""/public/complaints/: the portal's complaint section (no sign-in)."""
from django.urls import path

from . import public

app_name = "complaints_public"

urlpatterns = [
    path("", public.channels, name="channels"),
    path("new/", public.new, name="new"),
    path("track/", public.track, name="track"),
    path("captcha.png", public.captcha, name="captcha"),
]
