// Some of plotly.js's dependencies read Node's `global`, which plotly's own bundles
// define as the window; imported before plotly so it exists when they run.
globalThis.global ??= globalThis;
