// The buying centre's relationship map: an ECharts graph (see buyingCenter.ts for the data).
// Loaded lazily (React.lazy in ContactsTab) so echarts sits in its own chunk; only the graph
// series, tooltip and legend are registered (modular import), drawn as SVG so the names are
// real text (readable by tests and screen readers).
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { GraphChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useI18n, type MessageKey } from '../../../i18n';
import { useMediaQuery, PHONE_QUERY } from '../../../utils/useMediaQuery';
import { buildBuyingCenterGraph } from './buyingCenter';
import type { Contact } from './types';

echarts.use([GraphChart, TooltipComponent, LegendComponent, SVGRenderer]);

export interface RelationshipMapProps {
  accountName: string;
  contacts: Contact[];
}

export default function RelationshipMap({ accountName, contacts }: RelationshipMapProps) {
  const { t } = useI18n();
  const phone = useMediaQuery(PHONE_QUERY);
  const height = phone ? 340 : 440;
  const option = useMemo(() => {
    const graph = buildBuyingCenterGraph(
      accountName,
      contacts,
      {
        role: (role) => t(`contact.role.${role}` as MessageKey),
        attitude: (attitude) => t(`contact.attitude.${attitude}` as MessageKey),
        left: t('contact.status.left'),
        level: (level) => t('contact.levelN', { n: level }),
      },
      phone ? 110 : 160,
    );
    return {
      animationDuration: 300,
      tooltip: { trigger: 'item', confine: true },
      legend: {
        data: graph.categories.slice(0, -1).map((c) => ({ name: c.name, icon: c.symbol })),
        bottom: 0,
        type: 'scroll',
        itemWidth: 12,
        itemHeight: 12,
        selectedMode: false,
      },
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: true,
          draggable: false,
          categories: graph.categories,
          data: graph.nodes,
          links: graph.links,
          label: { position: 'bottom', fontSize: 12, formatter: '{b}' },
          emphasis: { focus: 'adjacency', lineStyle: { width: 4 } },
          // A square box for the square drawing (see the corner nodes in buyingCenter.ts): the
          // graph stretches its nodes' bounds to the box, so a wide box would flatten symbols.
          top: 16,
          left: 'center',
          width: height - 80,
          height: height - 80,
        },
      ],
    };
  }, [accountName, contacts, phone, height, t]);

  return (
    <div data-testid="relationship-map" role="img" aria-label={t('contact.mapAria', { n: contacts.length })}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height, width: '100%' }} opts={{ renderer: 'svg' }} />
    </div>
  );
}
