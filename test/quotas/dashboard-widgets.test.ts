import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { countDashboardWidgets } from '../../lib/quotas';
import { testApp } from '../helpers/app';

describe('countDashboardWidgets', () => {
  test('counts the widgets of a plain JSON body', () => {
    expect(countDashboardWidgets(JSON.stringify({ widgets: [{ type: 'text' }, { type: 'metric' }] }))).toEqual({ widgets: 2, exact: true });
  });

  test('counts the widgets of a dashboard CDK synthesizes with alarm ARNs, regions and quotes in titles', () => {
    const stack = new Stack(testApp(), 'S');
    const alarm = new cloudwatch.Alarm(stack, 'Alarm', { metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }), threshold: 1, evaluationPeriods: 1 });
    const widgets: cloudwatch.IWidget[] = [];
    for (let i = 0; i < 30; i++) {
      widgets.push(new cloudwatch.AlarmStatusWidget({ title: `"status" ${i}`, alarms: [alarm] }));
      widgets.push(new cloudwatch.GraphWidget({ title: `graph ${i}`, left: [alarm.metric] }));
      widgets.push(new cloudwatch.TextWidget({ markdown: '# a\n`code` "quoted" \\ backslash' }));
    }
    new cloudwatch.Dashboard(stack, 'Board', { widgets: [widgets] });
    const [board] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')) as Array<{ Properties: { DashboardBody: unknown } }>;
    expect(board.Properties.DashboardBody).toHaveProperty(['Fn::Join']);
    expect(countDashboardWidgets(board.Properties.DashboardBody)).toEqual({ widgets: 90, exact: true });
  });

  test('splices Fn::Sub and nested Fn::Join, with numeric intrinsics outside strings', () => {
    const body = { 'Fn::Join': ['', ['{"widgets":[{"type":"text","y":', { Ref: 'Y' }, ',"properties":{"markdown":"', { 'Fn::Join': ['-', ['a', { Ref: 'B' }]] }, '"}},', { 'Fn::Sub': '{"type":"metric","properties":{"region":"${AWS::Region}"}}' }, ']}']] };
    expect(countDashboardWidgets(body)).toEqual({ widgets: 2, exact: true });
  });

  test('falls back to counting "type" keys (an upper bound) when the body does not parse', () => {
    expect(countDashboardWidgets('{"widgets":[{"type":"text"},{"type" : "metric"}')).toEqual({ widgets: 2, exact: false });
    expect(countDashboardWidgets({ 'Fn::GetAtt': ['Other', 'Body'] })).toEqual({ widgets: 0, exact: false });
  });
});
