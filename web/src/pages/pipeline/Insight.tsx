// 开发分析: the funnel (open count and value per stage, conversion, median time in stage) and the
// 12-month weighted forecast against won value, as ECharts, filterable by owner, product line and
// creation dates; and the stalled list. Everything is the caller's data scope (the server's).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, Row, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useI18n } from '../../i18n';
import { describeError } from '../../api/errors';
import { fenToYuan } from '../accounts/money';
import { stageKey } from './index';
import { daysOfSeconds, forecastChart, funnelChart, percentOfBp } from './pipeline';
import { getForecast, getFunnel, getStalled, type Query } from './service';
import type { Forecast, Funnel, Opportunity } from './types';

echarts.use([FunnelChart, BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

export default function PipelineInsight() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Query>({});
  const [funnel, setFunnel] = useState<Funnel | null>(null);
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [stalled, setStalled] = useState<Opportunity[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [f, fc, st] = await Promise.all([getFunnel(filters), getForecast(filters), getStalled({ ...filters, limit: 100 })]);
      setFunnel(f);
      setForecast(fc);
      setStalled(st.items);
      setError(null);
    } catch (e) {
      setError(describeError(e, t));
    }
  }, [filters, t]);
  useEffect(() => void load(), [load]);

  const funnelOption = useMemo(() => {
    if (!funnel) return null;
    const data = funnelChart(funnel, (s) => t(stageKey(s)));
    return {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          minSize: '20%',
          label: { show: true, position: 'inside', formatter: '{b}: {c}' },
          data: data.categories.map((name, i) => ({ name, value: data.reached[i] })),
        },
      ],
    };
  }, [funnel, t]);

  const forecastOption = useMemo(() => {
    if (!forecast) return null;
    const data = forecastChart(forecast);
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 60, right: 20, top: 20, bottom: 50 },
      xAxis: { type: 'category', data: data.months },
      yAxis: { type: 'value', name: '元' },
      series: [
        { name: t('pipeline.forecast.weighted'), type: 'bar', data: data.weighted },
        { name: t('pipeline.forecast.expected'), type: 'bar', data: data.expected },
        { name: t('pipeline.forecast.won'), type: 'line', data: data.won },
      ],
    };
  }, [forecast, t]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('pipeline.insight')}
        </Typography.Title>
        <Form
          layout="inline"
          onFinish={(v: Record<string, string>) => {
            const next: Query = {};
            for (const [k, val] of Object.entries(v)) if (val) next[k] = val;
            setFilters(next);
          }}
        >
          <Form.Item name="product_line" label={t('pipeline.field.productLines')}>
            <Input allowClear style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="from" label={t('pipeline.filter.from')}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="to" label={t('pipeline.filter.to')}>
            <Input type="date" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" data-testid="insight-filter">
              {t('common.search')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('pipeline.funnel')} data-testid="funnel-card">
            {funnelOption && <ReactEChartsCore echarts={echarts} option={funnelOption} style={{ height: 300 }} opts={{ renderer: 'svg' }} />}
            <div data-testid="funnel-table">
            <Table
              size="small"
              rowKey="stage"
              pagination={false}
              dataSource={funnel?.stages ?? []}
              columns={[
                { title: t('pipeline.history.stage'), key: 'stage', render: (_, s) => t(stageKey(s.stage ?? 1)) },
                { title: t('pipeline.funnel.open'), dataIndex: 'count' },
                { title: t('pipeline.funnel.value'), key: 'value', render: (_, s) => `¥${fenToYuan(s.value_fen)}` },
                { title: t('pipeline.funnel.conversion'), key: 'conv', render: (_, s) => percentOfBp(s.conversion_bp) },
                { title: t('pipeline.funnel.median'), key: 'median', render: (_, s) => t('pipeline.days', { n: daysOfSeconds(s.median_seconds_in_stage) }) },
              ]}
            />
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('pipeline.forecast')} data-testid="forecast-card">
            {forecastOption && <ReactEChartsCore echarts={echarts} option={forecastOption} style={{ height: 300 }} opts={{ renderer: 'svg' }} />}
            <Typography.Text type="secondary">
              {t('pipeline.forecast.total', {
                weighted: fenToYuan(forecast?.totals?.weighted_value_fen ?? 0),
                won: fenToYuan(forecast?.totals?.won_value_fen ?? 0),
              })}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <Card title={t('pipeline.stalledList')} data-testid="stalled-card">
        <Table<Opportunity>
          size="small"
          rowKey="id"
          dataSource={stalled}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: t('pipeline.field.name'), key: 'name', render: (_, o) => <Link to={`/pipeline/opportunities/${o.id}`}>{o.name}</Link> },
            { title: t('pipeline.field.account'), dataIndex: 'account_name' },
            { title: t('pipeline.history.stage'), key: 'stage', render: (_, o) => t(stageKey(o.stage)) },
            { title: t('pipeline.field.owner'), dataIndex: 'owner_name' },
            { title: t('pipeline.daysInStageTitle'), key: 'days', render: (_, o) => <Tag color="orange">{t('pipeline.days', { n: o.days_in_stage ?? 0 })}</Tag> },
          ]}
        />
      </Card>
    </Space>
  );
}
