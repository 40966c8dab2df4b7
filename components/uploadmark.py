"""The address's mark of a session's uploads (`?uploaded=True`), and the notice when the uploaded files are gone.

Uploaded files (Compare's own options, the map's own sites) live in one server process's session only. The address
holds everything else of a view, so a session that moves to another process (its replica stopped: HAProxy sends the
page's reconnect to a live one), or starts again (a reload, a link opened later), shows the same view but without
the files. While a session holds an upload, every run writes the mark into the address (a page change drops plain
query parameters, as for `?lang=`); a session whose first run finds the mark but holds no upload says, once, that the
files must be uploaded again, and clears the mark. Removing one's upload clears it without a notice.

Streamlit's browser client, once its websocket is back after a drop, asks for no script run: it expects the same
server to still hold its session. Behind HAProxy the socket may come back to another replica, which holds no session
yet, and the page would stay as it was drawn (with the old process's elements) until the next click. `reconnect_watch`
puts a small script in the page that presses a hidden button when the connection comes back, so the page runs again
at once: from the address, on the live replica, with the notice above when the uploads are gone. On the same server
that costs one rerun.
"""

from __future__ import annotations

import streamlit as st

from components import notices, own_options, own_sites, urlstate
from pakcoe import registry
from pakcoe.i18n import t

KEY = registry.UPLOADED.name
MARK = registry.to_query(True)  # as every bool parameter is written
_STARTED = "_uploadmark_started"  # session state: the session's first run has been seen
RERUN_KEY = "pak-reconnected"  # the hidden button the page's script presses when its connection comes back
BOX_KEY = "pak-reconnect"  # its container, hidden with the script's element (no room taken in the sidebar)
# Installed once per page; the attribute is Streamlit's own connection marker on its root element.
_WATCH = """<script>
(() => {
  if (window.__pakReconnectWatch) return;
  window.__pakReconnectWatch = true;
  const root = () => document.querySelector('[data-testid=stApp]');
  let was = root() ? root().dataset.testConnectionState : 'CONNECTED';
  new MutationObserver(() => {
    const app = root();
    if (!app) return;
    const now = app.dataset.testConnectionState;
    if (now === 'CONNECTED' && was && was !== 'CONNECTED') {
      const button = document.querySelector('.st-key-__KEY__ button');
      if (button) button.click();
    }
    was = now;
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-test-connection-state']});
})();
</script>
<style>.st-key-__BOX__ { display: none !important; }</style>"""


def holds_upload() -> bool:
    """Whether this session holds an uploaded file (own options or own sites)."""
    return st.session_state.get(own_options.STORE) is not None or st.session_state.get(own_sites.STORE) is not None


def sync() -> None:
    """Every run (app.py, before the page): keep the mark while the session holds an upload; on a session's first run,
    a mark without an upload gives the notice; a mark without an upload is then removed."""
    first = not st.session_state.get(_STARTED, False)
    st.session_state[_STARTED] = True
    if holds_upload():
        if st.query_params.get(KEY) != MARK:
            st.query_params[KEY] = MARK
        return
    if KEY not in st.query_params:
        return
    raw = st.query_params.get_all(KEY)
    if raw != [MARK]:  # not the app's own mark: a link's bad value, said as for any other setting
        urlstate.notice(registry.UPLOADED, ", ".join(raw), None)
    elif first:
        notices.show(
            t(
                "The files you uploaded were held by a server that has since restarted (or by an earlier visit), and are no "
                "longer here: upload them again. Everything else in this view comes from the link."
            ),
            icon=":material/upload_file:",
        )
    del st.query_params[KEY]


def reconnect_watch() -> None:
    """The hidden button and the page's script that presses it when the websocket comes back (see the module's text)."""
    with st.sidebar.container(key=BOX_KEY):
        st.button(t("Draw the page again after a reconnection"), key=RERUN_KEY)
        st.html(_WATCH.replace("__KEY__", RERUN_KEY).replace("__BOX__", BOX_KEY), unsafe_allow_javascript=True)
