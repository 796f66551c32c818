"""The language switch: each user's own language, the browser's before sign-in, and the page
marked with its language and direction (Arabic right to left)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from lifeline.conftest import PASSWORD
from lifeline.core.language import user_language


def test_before_sign_in_the_browser_language_decides(client: Client, db: None) -> None:
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    page = client.get(reverse("web:login")).content.decode()
    assert '<html lang="en" dir="ltr">' in page


def test_the_switch_keeps_a_signed_in_users_choice_on_any_browser(
    client: Client, commander: Any
) -> None:
    client.force_login(commander)
    response = client.post(
        reverse("web:language"), {"language": "ar", "next": reverse("web:alerts")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:alerts")
    assert user_language(commander) == "ar"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"

    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="fr")  # another phone, another browser language
    assert elsewhere.login(request=HttpRequest(), username=commander.username, password=PASSWORD)
    page = elsewhere.get(reverse("web:home")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert 'value="ar" lang="ar" dir="rtl" aria-current="true" disabled' in page


def test_an_unknown_language_or_an_outside_address_changes_nothing(
    client: Client, commander: Any
) -> None:
    client.force_login(commander)
    response = client.post(
        reverse("web:language"), {"language": "xx", "next": "https://elsewhere.example/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert user_language(commander) == ""
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def _header(page: str) -> str:
    return page[page.index('<header class="top">') : page.index("</header>")]


def test_the_switch_is_offered_in_the_header_before_and_after_sign_in(
    client: Client, commander: Any
) -> None:
    assert 'name="language" value="fr"' in _header(
        client.get(reverse("web:login")).content.decode()
    )
    client.force_login(commander)
    assert 'name="language" value="fr"' in _header(client.get(reverse("web:home")).content.decode())


def test_the_login_page_speaks_the_browsers_language(client: Client, db: None) -> None:
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").content.decode()
    assert "Mot de passe" in page and "Password" not in page
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "كلمة المرور" in page and "Password" not in page


def test_lifeline_language_is_the_default_when_the_browser_asks_for_none_we_have(
    client: Client, db: None, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="fr" dir="ltr">' in page and "Mot de passe" in page


def test_the_menu_and_the_roles_read_in_the_users_language(client: Client, commander: Any) -> None:
    client.force_login(commander)
    client.post(reverse("web:language"), {"language": "ar", "next": "/"})
    header = _header(client.get(reverse("web:home")).content.decode())
    assert "القائد" in header and "commander" not in header.replace(commander.username, "")
    assert "السجل" in header and "تسجيل الخروج" in header


def test_the_api_answers_in_the_language_asked(client: Client, commander: Any) -> None:
    client.force_login(commander)
    response = client.get("/api/alerts/?state=nonsense", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response["Content-Language"] == "fr"
