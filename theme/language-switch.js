// A link in the menu bar to the same page in the other edition:
// /zh/ch01-what-is-a-socket.html <-> /en/ch01-what-is-a-socket.html.
// The editions are sibling folders (src/reader/edition.rs); mdBook's
// `path_to_root` leads from this page to its edition's folder.
(function () {
    "use strict";
    const editions = {
        zh: { other: "en", label: "English", title: "Read this page in English" },
        en: { other: "zh", label: "中文", title: "阅读本页的中文版" },
    };
    const edition = editions[document.documentElement.lang];
    const buttons = document.querySelector("#mdbook-menu-bar .right-buttons, .right-buttons");
    if (!edition || !buttons) {
        return;
    }
    // path_to_root is "" or "../"…; "." makes it name a folder.
    const root = new URL((typeof path_to_root === "string" ? path_to_root : "") + ".", location.href);
    const page = location.pathname.slice(root.pathname.length);
    const link = document.createElement("a");
    link.className = "language-switch";
    link.href = new URL("../" + edition.other + "/" + page, root).href;
    link.hreflang = edition.other;
    link.lang = edition.other;
    link.title = edition.title;
    link.textContent = edition.label;
    buttons.prepend(link);
})();
