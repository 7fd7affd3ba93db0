"""The Sign-In Widget's own texts in the person's language, read from the JSON files beside this
module (copied from Okta's published `login*.properties` by `scripts/extract_widget_texts.py`).

Only the widget's texts are translated. A hook's `errorSummary` reaches the page exactly as the
hook wrote it, and a few texts come from Okta's server rather than from the widget's files
(`okta.DENY_TEXT`, the registration `ERROR_WITHOUT_CAUSES_TEXT`, the progressive failure text):
those have no published translation and stay in English, marked as such.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from app.logic import okta

TEXTS_DIR = Path(__file__).resolve().parent / "widget_texts"

#: The languages the page offers, each with its own name for itself.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "de": "Deutsch",
    "es": "Español",
    "ja": "日本語",
}
DEFAULT_LANGUAGE = "en"

#: Each widget attribute label key, by profile attribute (`i18nBaseAttributeMappings.js`).
LABEL_KEYS: dict[str, str] = {
    "login": "oie.user.profile.login",
    "lastName": "oie.user.profile.lastname",
    "firstName": "oie.user.profile.firstname",
    "email": "oie.user.profile.primary.email",
    "secondEmail": "oie.user.profile.secondary.email",
    "middleName": "oie.user.profile.middleName",
    "honorificPrefix": "oie.user.profile.honorificPrefix",
    "honorificSuffix": "oie.user.profile.honorificSuffix",
    "title": "oie.user.profile.title",
    "displayName": "oie.user.profile.displayName",
    "nickName": "oie.user.profile.nickName",
    "profileUrl": "oie.user.profile.profileUrl",
    "mobilePhone": "oie.user.profile.mobilePhone",
    "primaryPhone": "oie.user.profile.primaryPhone",
    "streetAddress": "oie.user.profile.streetAddress",
    "city": "oie.user.profile.city",
    "state": "oie.user.profile.state",
    "zipCode": "oie.user.profile.zipCode",
    "postalCode": "oie.user.profile.postalCode",
    "countryCode": "oie.user.profile.countryCode",
    "postalAddress": "oie.user.profile.postalAddress",
    "preferredLanguage": "oie.user.profile.preferredLanguage",
    "locale": "oie.user.profile.locale",
    "timezone": "oie.user.profile.timezone",
    "userType": "oie.user.profile.userType",
    "employeeNumber": "oie.user.profile.employeeNumber",
    "costCenter": "oie.user.profile.costCenter",
    "organization": "oie.user.profile.organization",
    "division": "oie.user.profile.division",
    "department": "oie.user.profile.department",
    "managerId": "oie.user.profile.managerId",
    "manager": "oie.user.profile.manager",
}

# Keys of the screens themselves. Where each is used in the widget (Gen3 unless marked):
#   transformEnrollProfile.ts: the sign-up title, subtitle and button; on the screen that posts
#     to /idp/idx/enroll/update the title is oie.primaryauth.submit and the button
#     oie.registration.form.update.submit; the footer haveaccount + signin.
#   transform.ts (field rules): model.validation.field.blank; useOnSubmitValidation.ts: the
#     banner oform.errorbanner.title. oie.form.field.optional marks an optional input.
#   i18nUtils.js: Okta's server error registration.error.invalidLoginEmail (params Email) and
#     idx.email.verification.required -> registration.complete.confirm.text.
#   Texts Okta shows when registration fails: registration.error.generic,
#     registration.default.callbackhook.error, registration.error.request.not.completed.
SCREEN_KEYS: tuple[str, ...] = (
    "oie.registration.form.title",
    "oie.registration.form.submit",
    "oie.primaryauth.submit",
    "oie.registration.form.update.submit",
    "oie.form.field.optional",
    "oie.form.field.optional.description",
    "haveaccount",
    "signin",
    "oform.errorbanner.title",
    "model.validation.field.blank",
    "model.validation.field.invalid.format.email",
    "registration.error.invalidLoginEmail.Email",
    "registration.error.generic",
    "registration.default.callbackhook.error",
    "registration.error.request.not.completed",
    "registration.complete.title",
    "registration.complete.confirm.text",
    "goback",
)
#: Every key each language file must carry.
REQUIRED_KEYS: tuple[str, ...] = SCREEN_KEYS + tuple(LABEL_KEYS.values())

#: Okta's English texts (app.logic.okta) that are also widget texts, so they can be translated.
_CONTRACT_KEYS: dict[str, str] = {
    okta.BANNER_TEXT: "oform.errorbanner.title",
    okta.FAILURE_TEXT["ssr"]: "registration.error.generic",
}


class TextsError(Exception):
    """A language file that is missing or broken; the message is one plain line."""


@dataclass(frozen=True)
class WidgetTexts:
    """The widget's texts in one language, with the file they were copied from."""

    language: str
    texts: dict[str, str] = field(hash=False)
    source: dict[str, Any] = field(hash=False, default_factory=dict)

    def get(self, key: str) -> str:
        """The text for `key`; the English one when this language lacks it."""
        if key in self.texts:
            return self.texts[key]
        if self.language != DEFAULT_LANGUAGE:
            return load_texts(DEFAULT_LANGUAGE).get(key)
        raise KeyError(key)

    def label(self, attribute: str, schema_title: str | None = None) -> str:
        """A form input's label: the widget's for a base attribute, else the schema's title (a
        custom attribute's label is the admin's own text, in one language)."""
        key = LABEL_KEYS.get(attribute)
        if key is not None:
            return self.get(key)
        return schema_title or attribute

    def contract_text(self, english: str) -> tuple[str, bool]:
        """One of Okta's English texts from `app.logic.okta`, in this language when the widget
        publishes it: (text, translated). Any other text comes back unchanged, untranslated."""
        key = _CONTRACT_KEYS.get(english)
        if key is None:
            return english, self.language == DEFAULT_LANGUAGE
        return self.get(key), True


@cache
def load_texts(language: str) -> WidgetTexts:
    """The texts of one of `LANGUAGES`. Raises TextsError for an unknown or broken file."""
    if language not in LANGUAGES:
        raise TextsError(f"no widget texts for {language!r}: use one of {', '.join(LANGUAGES)}")
    path = TEXTS_DIR / f"{language}.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TextsError(f"{path.name}: cannot be read ({exc})") from None
    texts = value.get("texts") if isinstance(value, dict) else None
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        raise TextsError(f'{path.name}: expected {{"texts": {{key: text}}}}')
    return WidgetTexts(language, dict(texts), dict(value.get("_source", {})))


def language_for_locale(locale: str | None) -> str | None:
    """`fr_FR`, `fr-CA`, `ja`, `de_DE.UTF-8` -> the page language; None for any other."""
    if not isinstance(locale, str) or not locale.strip():
        return None
    primary = locale.strip().replace("-", "_").split(".")[0].split("_")[0].casefold()
    return primary if primary in LANGUAGES else None


def default_language(user_locale: str | None, system_locale: str | None) -> str:
    """The chosen user's locale when the page speaks it, else the system's, else English."""
    return (
        language_for_locale(user_locale) or language_for_locale(system_locale) or DEFAULT_LANGUAGE
    )
