// A wide diagram that mermaid shrinks to the column's width has labels too
// small to read (on a phone, some come out at a seventh of their size).
// Such a diagram keeps at least READABLE of its drawn size and scrolls
// sideways in its own box instead (theme/diagram-fit.css; on screens only:
// on paper it is still shrunk to the page). tests/mobile.rs checks it.
(function () {
    "use strict";
    const READABLE = 0.6;
    // The width mermaid drew the diagram at, once it has measured it.
    const drawnWidth = (pre) => {
        const svg = pre.querySelector("svg");
        return svg && svg.viewBox && svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0;
    };
    const fit = (pre) => {
        const drawn = drawnWidth(pre);
        if (pre.clientWidth >= drawn * READABLE) {
            return;
        }
        const svg = pre.querySelector("svg");
        svg.style.setProperty("--readable-width", Math.ceil(drawn * READABLE) + "px");
        pre.classList.add("diagram-scrolls");
    };
    const watch = () => {
        for (const pre of document.querySelectorAll("pre.mermaid")) {
            if (drawnWidth(pre)) {
                fit(pre);
                continue;
            }
            // mermaid draws after the page has loaded, and sets the
            // drawing's size last.
            const observer = new MutationObserver(() => {
                if (drawnWidth(pre)) {
                    observer.disconnect();
                    fit(pre);
                }
            });
            observer.observe(pre, { childList: true, subtree: true, attributes: true });
        }
    };
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", watch);
    } else {
        watch();
    }
})();
