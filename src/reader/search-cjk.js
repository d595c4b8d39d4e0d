// Chinese search for mdBook's own search box.
//
// mdBook splits a query on spaces, and its trimmer keeps ASCII letters
// only, so a Chinese query finds nothing. The reader binary indexes every
// pair of neighbouring Chinese characters (search.rs, beside this file);
// this splits a query the same way, and trims tokens of any script.
//
// search.rs puts this script at the top of searchindex.js: it then runs
// after elasticlunr is loaded and before the index is, whenever the search
// box (or a ?search= address) first asks for the index.
(function () {
    "use strict";
    if (typeof elasticlunr === "undefined") {
        return;
    }
    const cjk = /[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
    const separator = /[\s\-\u3000-\u303F\uFF00-\uFFEF]+/u;
    const maxWordLength = 80;

    // Must match `tokenize` in src/reader/search.rs.
    function tokenize(text) {
        const tokens = [];
        for (const piece of String(text).split(separator)) {
            let word = "";
            let run = [];
            const flushWord = () => {
                if (word !== "" && new TextEncoder().encode(word).length <= maxWordLength) {
                    tokens.push(word.toLowerCase());
                }
                word = "";
            };
            const flushRun = () => {
                if (run.length === 1) {
                    tokens.push(run[0]);
                }
                for (let i = 0; i + 1 < run.length; i++) {
                    tokens.push(run[i] + run[i + 1]);
                }
                run = [];
            };
            for (const c of piece) {
                if (cjk.test(c)) {
                    flushWord();
                    run.push(c);
                } else {
                    flushRun();
                    word += c;
                }
            }
            flushWord();
            flushRun();
        }
        return tokens;
    }

    const mdbookTokenizer = elasticlunr.tokenizer;
    const tokenizer = function (query) {
        if (query === null || query === undefined) {
            return [];
        }
        const texts = Array.isArray(query) ? query : [query];
        return texts.filter((t) => t !== null && t !== undefined).flatMap(tokenize);
    };
    // Keep the properties elasticlunr reads off its tokenizer.
    Object.assign(tokenizer, mdbookTokenizer);
    elasticlunr.tokenizer = tokenizer;

    // mdBook's trimmer strips every character outside [A-Za-z0-9_] from the
    // ends of a token, which would empty every Chinese token. The index's
    // pipeline names "trimmer"; it will find this one.
    const trimmer = function (token) {
        return token.replace(/^[^\p{L}\p{N}_]+/u, "").replace(/[^\p{L}\p{N}_]+$/u, "");
    };
    trimmer.label = "trimmer";
    elasticlunr.trimmer = trimmer;
    elasticlunr.Pipeline.registeredFunctions.trimmer = trimmer;
})();
