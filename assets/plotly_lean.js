// plotly.js with only the traces qrapp draws (qrapp/components/plotly_lean.py, TRACES):
// plotly's core (which registers scatter) plus heatmap, pie and choropleth. The build
// bundles this from plotly.js's sources into a chunk the chart pages load lazily.
import "./plotly_global.js";
import Plotly from "plotly.js/lib/core";
import heatmap from "plotly.js/lib/heatmap";
import pie from "plotly.js/lib/pie";
import choropleth from "plotly.js/lib/choropleth";

Plotly.register([heatmap, pie, choropleth]);

export default Plotly;
