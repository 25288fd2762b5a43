"""In-session navigation for the app's own links, and the reader's "jump back to where you were".

The reader's place links and the permalink are plain relative links (`?sel=…`, built by
geo.viewer.panel), so they work when copied, opened in a new tab or without script. In the page,
a small script (installed once into the app's document by st.html, no iframe) turns a
plain left click on such a link into browser history navigation: `history.pushState` with the
link's address, then a `popstate` event, on which Streamlit reruns the script with the new query
(the app's init_state restores the view the address holds). The session, its caches and the map
stay; Back and Forward step through these views as through any other.

A click on a place link inside the reader also remembers, in the tab's sessionStorage, the
paragraph it came from (the clause id is the paragraph's id). When that document is shown in the
reader again, a "jump back" button scrolls to that paragraph and marks it.
"""

from __future__ import annotations

import json

from geo.viewer.i18n import t

__all__ = ["NAV_SCRIPT", "install_html"]

NAV_SCRIPT = r"""
(function () {
  if (window.__paNav) { return; }
  window.__paNav = true;
  var KEY = "pa-reader-back";
  var label = function () { return document.documentElement.getAttribute("data-pa-back") || "↩"; };
  var local = function (a) {
    var href = a.getAttribute("href") || "";
    return href.charAt(0) === "?" && (a.getAttribute("target") || "_self") === "_self";
  };
  document.addEventListener("click", function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest("a[href]") : null;
    if (!a || !local(a) || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey ||
        ev.shiftKey || ev.altKey) { return; }
    ev.preventDefault();
    var para = a.closest(".pa-reader p[id]");
    if (para) {
      var doc = new URLSearchParams(window.location.search).get("doc") || "";
      try { sessionStorage.setItem(KEY, JSON.stringify({doc: doc, id: para.id})); } catch (e) {}
    }
    var url = new URL(a.getAttribute("href"), window.location.href);
    window.history.pushState(null, "", url.pathname + url.search);
    window.dispatchEvent(new PopStateEvent("popstate", {state: null}));
  }, true);
  var check = function () {
    var btn = document.getElementById("pa-reader-back");
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
    var reader = document.querySelector(".pa-reader");
    var para = saved && reader ? document.getElementById(saved.id) : null;
    if (!para || !reader.contains(para)) { if (btn) { btn.remove(); } return; }
    if (!btn) {
      btn = document.createElement("button");
      btn.id = "pa-reader-back";
      btn.setAttribute("data-testid", "pa-reader-back");
      btn.style.cssText = "position:fixed;right:24px;bottom:24px;z-index:1000;padding:8px 14px;" +
        "border-radius:8px;border:1px solid #f0b400;background:#fff3b0;cursor:pointer;font-size:15px";
      btn.addEventListener("click", function () {
        var s = null;
        try { s = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { s = null; }
        var p = s ? document.getElementById(s.id) : null;
        if (p) {
          p.scrollIntoView({block: "center"});
          p.setAttribute("data-pa-focus", "1");
          p.style.background = "#fff3b0";
        }
        try { sessionStorage.removeItem(KEY); } catch (e) {}
        btn.remove();
      });
      document.body.appendChild(btn);
    }
    btn.textContent = label();
  };
  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    setTimeout(function () { pending = false; check(); }, 150);
  }).observe(document.body, {childList: true, subtree: true});
  check();
})();
"""


def install_html(lang: str) -> str:
    """The script for st.html(…, unsafe_allow_javascript=True): puts the button's label (in `lang`) on
    the app's document and installs the navigation script once."""
    back = json.dumps(t("reader_back", lang)).replace("</", "<\\/")
    return (
        f"<script>document.documentElement.setAttribute('data-pa-back',{back});"
        + NAV_SCRIPT.replace("</", "<\\/")
        + "</script>"
    )
