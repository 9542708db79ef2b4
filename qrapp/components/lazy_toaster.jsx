// Reflex's toast provider without sonner in every page's scripts (issue 19: 14 KB gzip
// on every page, for a notice that shows after a person copies a link). rx.toast and the
// connection notices call `refs['__toast']`: here that is a stand-in which fetches sonner
// on the first toast, mounts its Toaster, then shows what was asked for; once sonner is
// there it calls sonner at once. Dismissing what never showed needs no sonner at all.
import { createElement, useContext, useEffect, useState } from "react";
import { refs } from "$/utils/state";
import { ColorModeContext } from "$/utils/context";

let sonner = null; // the module, once fetched
let loading = null;
let queued = []; // [method, args] asked for before sonner arrived
let mounted = () => {}; // the mounted LazyToaster's setter

function load() {
  loading ??= import("sonner").then((mod) => {
    sonner = mod;
    mounted(mod);
  });
}

function call(method) {
  return (...args) => {
    if (sonner) return method ? sonner.toast[method](...args) : sonner.toast(...args);
    if (method === "dismiss") {
      const [id] = args;
      queued = id === undefined ? [] : queued.filter(([, a]) => a[1]?.id !== id);
      return undefined;
    }
    queued.push([method, args]);
    load();
    return undefined;
  };
}

const METHODS = ["success", "error", "warning", "info", "loading", "message", "promise", "custom", "dismiss"];
refs["__toast"] = Object.assign(call(null), Object.fromEntries(METHODS.map((m) => [m, call(m)])));

export function LazyToaster(props) {
  const { resolvedColorMode } = useContext(ColorModeContext);
  const [mod, setMod] = useState(sonner);
  useEffect(() => {
    mounted = setMod;
    if (sonner) setMod(sonner);
    return () => {
      mounted = () => {};
    };
  }, []);
  useEffect(() => {
    if (!mod) return undefined;
    // The Toaster's live region is in the page now: what it says a moment later is read
    // out by screen readers (a region added together with its text often is not).
    const timer = setTimeout(() => {
      for (const [m, args] of queued.splice(0)) (m ? mod.toast[m] : mod.toast)(...args);
    }, 100);
    return () => clearTimeout(timer);
  }, [mod]);
  return mod ? createElement(mod.Toaster, { theme: resolvedColorMode, ...props }) : null;
}
