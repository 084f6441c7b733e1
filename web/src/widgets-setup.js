/*
 * Loaded just before the ipywidgets HTML manager (vendor/html-manager/embed-amd.js)
 * on pages that contain widgets. Two adjustments so that widgets work offline
 * with the copies of the libraries that the book serves itself:
 *
 * 1. The widget manager loads its icon fonts from a path it derives from the
 *    RequireJS URL of its own module, by default relative to the page, which
 *    is wrong for every page. Map that module to the folder next to this
 *    script instead (works from any page, any base URL, and from disk).
 * 2. ipywidgets typesets widget labels with the MathJax 2 API
 *    (MathJax.Hub.Queue); the book uses MathJax 3. Provide that one call.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (script && script.src) {
    var assets = new URL("html-manager/", script.src).href;
    window.__jupyter_widgets_assets_path__ = assets;
    if (window.requirejs) {
      window.requirejs.config({
        paths: { "@jupyter-widgets/html-manager/dist": assets.replace(/\/$/, "") },
      });
    }
  }

  function installMathJax2Shim() {
    var mathjax = window.MathJax;
    if (!mathjax || mathjax.Hub || !mathjax.startup) {
      return; // no MathJax on this page, or already a MathJax 2
    }
    mathjax.Hub = {
      Queue: function (job) {
        var element = Array.isArray(job) ? job[2] : undefined;
        mathjax.startup.promise = mathjax.startup.promise
          .then(function () {
            return mathjax.typesetPromise(element ? [element] : undefined);
          })
          .catch(function (error) {
            console.warn("MathJax could not typeset a widget label:", error);
          });
      },
    };
  }

  // MathJax is a deferred script: it has run by DOMContentLoaded, and the
  // widget manager renders on the window "load" event, which comes later.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", installMathJax2Shim);
  } else {
    installMathJax2Shim();
  }
})();
