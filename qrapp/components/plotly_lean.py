"""rx.plotly drawn with a plotly.js of only the traces qrapp uses.

`rx.plotly` loads the whole plotly.js (about 1.4 MB gzip) and plotly's partial bundles
each miss one of our traces (cartesian has no choropleth, geo no heatmap or pie). This
component builds react-plotly.js's component from assets/plotly_lean.js, which
registers scatter, heatmap, pie and choropleth on plotly's core; the build bundles it
from plotly.js's own sources (the package rx.plotly already installs), lazily, on the
pages that draw a chart. A figure with another trace type draws nothing: add the trace
to assets/plotly_lean.js and to TRACES.

The light/dark templates rx.plotly puts in the page hold defaults for every one of
plotly's ~40 trace types (about 20 KB per chart); these keep the layout and our traces'.
"""

from __future__ import annotations

import functools
import json

from reflex.components.core.cond import color_mode_cond
from reflex.vars.base import LiteralVar
from reflex_components_plotly.plotly import CREATE_PLOTLY_COMPONENT, Plotly

# The trace types assets/plotly_lean.js registers (qrapp.state.analytics_figures draws).
TRACES = ("scatter", "heatmap", "pie", "choropleth")


@functools.cache
def _template(name: str) -> dict:
    from plotly.io import templates

    template = templates[name].to_plotly_json()
    template["data"] = {k: v for k, v in template.get("data", {}).items() if k in TRACES}
    return template


class LeanPlotly(Plotly):
    tag = "LeanPlotlyPlot"
    is_default = False

    @classmethod
    def create(cls, *children, **props):
        from plotly.graph_objs.layout import Template

        props.setdefault(
            "template",
            color_mode_cond(
                light=LiteralVar.create(_template("plotly")),
                dark=LiteralVar.create(_template("plotly_dark")),
            ).to(Template),
        )
        return super().create(*children, **props)

    def add_imports(self):
        return CREATE_PLOTLY_COMPONENT

    def _get_dynamic_imports(self) -> str:
        # An ES module: plotly is its default export (the dist bundles are CommonJS,
        # whose namespace is plotly itself, as rx.plotly's partial bundles expect).
        return f"""
const {self.tag} = ClientSide(() =>
    import('$/public/plotly_lean.js').then((mod) => createPlotlyComponent(mod.default))
, {json.dumps(self.tag)})
"""


lean_plotly = LeanPlotly.create
