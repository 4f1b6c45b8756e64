import { MapChart, type MapSeriesOption } from "echarts/charts";
import {
  TooltipComponent,
  type TooltipComponentOption,
  VisualMapComponent,
  type VisualMapComponentOption,
} from "echarts/components";
import { type ComposeOption, init, registerMap, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";
import type { CountryFeature } from "./hooks";

// Only what the map draws: a map series with a visual scale and a tooltip, on canvas (loaded with this screen).
use([MapChart, VisualMapComponent, TooltipComponent, CanvasRenderer]);

type MapOption = ComposeOption<MapSeriesOption | VisualMapComponentOption | TooltipComponentOption>;

/**
 * Experts by nationality on the directory's country shapes (its own GeoJSON, R-PLATFORM (1)). An image to
 * assistive technology, named by ``label``: the page lists the same counts in a table.
 */
export function WorldMap({ features, label, legend }: { features: CountryFeature[]; label: string; legend: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    registerMap("platform-world", { type: "FeatureCollection", features } as never);
    const chart = init(box.current, undefined, { renderer: "canvas" });
    const max = Math.max(1, ...features.map((f) => f.properties.count));
    const option: MapOption = {
      tooltip: { trigger: "item" },
      visualMap: {
        min: 0,
        max,
        text: [String(max), "0"],
        calculable: true,
        left: 10,
        bottom: 10,
        inRange: { color: ["#f3f5f8", "#b7282e"] },
      },
      series: [
        {
          type: "map",
          map: "platform-world",
          name: legend,
          nameProperty: "country",
          roam: true,
          data: features.map((f) => ({ name: f.properties.country, value: f.properties.count })),
        },
      ],
    };
    chart.setOption(option);
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => chart.resize());
    observer?.observe(box.current);
    return () => {
      observer?.disconnect();
      chart.dispose();
    };
  }, [features, legend]);
  return <div ref={box} role="img" aria-label={label} data-testid="world-map" style={{ width: "100%", height: 460 }} />;
}
