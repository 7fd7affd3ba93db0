"""The widget's texts: every language file carries every key, copied from Okta's files."""

from __future__ import annotations

import json

import pytest

from app.logic import okta
from app.logic.person import texts as T


@pytest.mark.parametrize("language", list(T.LANGUAGES))
def test_every_language_file_has_every_key(language: str) -> None:
    document = json.loads((T.TEXTS_DIR / f"{language}.json").read_text(encoding="utf-8"))
    assert document["language"] == language
    assert set(T.REQUIRED_KEYS) <= set(document["texts"])
    assert all(isinstance(v, str) and v.strip() for v in document["texts"].values())
    source = document["_source"]
    assert source["repository"] == "https://github.com/okta/okta-signin-widget"
    expected = "login.properties" if language == "en" else f"login_{language}.properties"
    assert source["file"] == f"packages/@okta/i18n/src/properties/{expected}"
    assert len(source["commit"]) == 40


def test_no_language_file_is_english_in_disguise() -> None:
    english = T.load_texts("en")
    for language in T.LANGUAGES:
        if language == "en":
            continue
        texts = T.load_texts(language)
        # Titles, buttons and the banner are translated in every published file.
        for key in ("oie.registration.form.title", "oform.errorbanner.title", "signin"):
            assert texts.get(key) != english.get(key), (language, key)


def test_the_english_file_agrees_with_the_contract_constants() -> None:
    english = T.load_texts("en")
    assert english.get("oform.errorbanner.title") == okta.BANNER_TEXT
    assert english.get("registration.error.generic") == okta.FAILURE_TEXT["ssr"]
    assert english.get("oie.registration.form.title") == "Sign up"
    assert english.get("oie.registration.form.submit") == "Sign Up"
    assert english.get("oie.primaryauth.submit") == "Sign in"
    assert english.get("oie.registration.form.update.submit") == "Submit"


@pytest.mark.parametrize(
    ("language", "title", "banner_start"),
    [
        ("fr", "S'inscrire", "Nous avons trouvé quelques erreurs."),
        ("de", "Registrieren", "Wir haben einige Fehler gefunden."),
        ("es", "Registrarse", "Hemos encontrado algunos errores."),
        ("ja", "サインアップ", "エラーが見つかりました。"),
    ],
)
def test_translations_are_the_published_ones(language: str, title: str, banner_start: str) -> None:
    texts = T.load_texts(language)
    assert texts.get("oie.registration.form.title") == title
    assert texts.get("oform.errorbanner.title").startswith(banner_start)


def test_labels_come_from_the_widget_for_base_attributes_and_the_schema_otherwise() -> None:
    french = T.load_texts("fr")
    assert french.label("firstName", "First name") == "Prénom"
    assert french.label("employeeNumber", "Employee number") == "Numéro d'employé"
    assert french.label("customerId", "Customer ID") == "Customer ID"
    assert french.label("customerId") == "customerId"


def test_contract_texts_translate_only_where_the_widget_publishes_them() -> None:
    german = T.load_texts("de")
    assert german.contract_text(okta.BANNER_TEXT) == (german.get("oform.errorbanner.title"), True)
    assert german.contract_text(okta.FAILURE_TEXT["ssr"])[0].startswith("Beim Erstellen")
    # Okta's server texts have no published translation: they stay English, flagged.
    assert german.contract_text(okta.DENY_TEXT["ssr"]) == (okta.DENY_TEXT["ssr"], False)
    assert T.load_texts("en").contract_text(okta.DENY_TEXT["ssr"]) == (
        okta.DENY_TEXT["ssr"],
        True,
    )


@pytest.mark.parametrize(
    ("user", "system", "expected"),
    [
        ("fr_FR", "en_US", "fr"),
        ("fr-CA", None, "fr"),
        ("ja_JP", "de_DE", "ja"),
        ("pl_PL", "de_DE.UTF-8", "de"),
        (None, "es_MX", "es"),
        ("", "", "en"),
        ("pl_PL", "C", "en"),
    ],
)
def test_default_language(user: str | None, system: str | None, expected: str) -> None:
    assert T.default_language(user, system) == expected


def test_an_unknown_language_is_refused_plainly() -> None:
    with pytest.raises(T.TextsError, match="no widget texts for 'pl'"):
        T.load_texts("pl")


def test_the_properties_reader_decodes_escapes_and_continuations() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "extract_widget_texts.py"
    spec = importlib.util.spec_from_file_location("extract_widget_texts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (
        "# comment\n"
        "haveaccount = Vous avez d\\u00E9j\\u00E0 un compte\\u00A0?\n"
        "a.b=one \\\n    two\n"
        "! other comment\n"
        "c.d : x\n"
    )
    assert module.parse_properties(text) == {
        "haveaccount": "Vous avez déjà un compte\u00a0?",
        "a.b": "one two",
        "c.d": "x",
    }
