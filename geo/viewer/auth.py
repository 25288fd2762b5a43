"""Who may write into the corpus: the editor sign-in of the app.

Everyone who can reach the app is a viewer: they read, search, download, and analyse uploads
in their own session (nothing of theirs reaches data/). Writing into data/ — "保存到语料库" and
anything else that writes — needs an editor, signed in one of two ways:
- a password: `PLAN_ATLAS_EDITOR_PASSWORD` in Streamlit secrets (.streamlit/secrets.toml) or in
  the environment; the one typed in the sidebar is compared in constant time (hmac) and the
  sign-in is kept in this browser session only;
- Streamlit's OIDC sign-in (`st.login`), when an [auth] section is configured in secrets.toml for
  the bureau's identity provider; `PLAN_ATLAS_EDITORS` (comma-separated e-mail addresses, secrets
  or environment) limits who of the signed-in users may write (default: every signed-in user).
With neither configured nobody is an editor: the app is read-only — except in the local single-user
setting PLAN_ATLAS_EDITOR=1 (environment), honoured only while the server listens on the loopback
address (the default of `make run`): then the one person at this machine is the editor.

`is_editor()` is the one check every writing widget calls; `render_sign_in()` draws the sidebar
form. `show_error_details()` tells whether exception details may be shown (development mode only).
"""

from __future__ import annotations

import hmac
import os
from typing import Any

import streamlit as st

from geo.viewer.i18n import t

__all__ = ["editor_password", "is_editor", "oidc_configured", "render_sign_in", "show_error_details"]

PASSWORD_KEY: str = "PLAN_ATLAS_EDITOR_PASSWORD"
EDITORS_KEY: str = "PLAN_ATLAS_EDITORS"
_SESSION_KEY: str = "editor:signed_in"


def _secret(name: str) -> Any:
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml, or an unreadable one: no secret
        return None


def editor_password() -> str | None:
    """The editor password (Streamlit secrets first, then the environment); None when unset."""
    value = _secret(PASSWORD_KEY) or os.environ.get(PASSWORD_KEY)
    return str(value) if value else None


def oidc_configured() -> bool:
    """Whether Streamlit's OIDC sign-in is configured ([auth] in secrets.toml)."""
    auth = _secret("auth")
    return bool(auth) and hasattr(st, "login")


def _oidc_user_allowed() -> bool:
    user = getattr(st, "user", None)
    if user is None or not getattr(user, "is_logged_in", False):
        return False
    allowed = _secret(EDITORS_KEY) or os.environ.get(EDITORS_KEY, "")
    if isinstance(allowed, str):
        allowed = [a.strip() for a in allowed.split(",") if a.strip()]
    if not allowed:
        return True
    email = str(getattr(user, "email", "") or "").lower()
    return email in {str(a).lower() for a in allowed}


def _local_single_user() -> bool:
    if os.environ.get("PLAN_ATLAS_EDITOR", "") != "1":
        return False
    try:
        address = str(st.get_option("server.address") or "")
    except Exception:
        address = ""
    return address in ("127.0.0.1", "localhost", "::1")


def is_editor() -> bool:
    """Whether this browser session may write into data/ (signed in as an editor)."""
    if _local_single_user():
        return True
    if oidc_configured() and _oidc_user_allowed():
        return True
    return bool(st.session_state.get(_SESSION_KEY)) and editor_password() is not None


def render_sign_in(lang: str) -> None:
    """The editor sign-in in the sidebar: password form, or the OIDC button; sign-out when signed in."""
    password = editor_password()
    oidc = oidc_configured()
    if not password and not oidc:
        return
    with st.sidebar.expander(t("editor_heading", lang), expanded=False):
        if is_editor():
            st.caption(t("editor_signed_in", lang))
            if st.button(t("editor_sign_out", lang), key="editor:sign_out"):
                st.session_state.pop(_SESSION_KEY, None)
                if oidc and getattr(getattr(st, "user", None), "is_logged_in", False):
                    st.logout()
                st.rerun()
            return
        if oidc and st.button(t("editor_sign_in_oidc", lang), key="editor:oidc"):
            st.login()
        if password:
            with st.form("editor:form", clear_on_submit=True):
                typed = st.text_input(t("editor_password", lang), type="password", key="editor:password")
                if st.form_submit_button(t("editor_sign_in", lang)):
                    if hmac.compare_digest(typed.encode("utf-8"), password.encode("utf-8")):
                        st.session_state[_SESSION_KEY] = True
                        st.rerun()
                    else:
                        st.error(t("editor_wrong_password", lang))


def show_error_details() -> bool:
    """Exception details (types, paths) are shown only in development mode
    (`streamlit run --global.developmentMode true`, or PLAN_ATLAS_DEV=1)."""
    if os.environ.get("PLAN_ATLAS_DEV", "") not in ("", "0"):
        return True
    try:
        return bool(st.get_option("global.developmentMode"))
    except Exception:
        return False
