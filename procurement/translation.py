"""Pilot content written in both official languages (see challenges/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import OutcomeIndicator


@register(OutcomeIndicator)
class OutcomeIndicatorTranslation(TranslationOptions):
    fields = ("name", "success_measure")
