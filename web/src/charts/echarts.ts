// The only ECharts entry point of the app: the core plus the few parts the
// dashboard draws (bars, lines, axes grid, tooltip, legend) on canvas, so that
// the bundle carries nothing else.
import { init, use, type ECharts, type EChartsCoreOption } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { init, type ECharts, type EChartsCoreOption };
