// Log Analytics (where Container Apps and the Function App send their logs) and, for the function packaging,
// workspace-based Application Insights.
import { Construct } from 'constructs';
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import type { AzureContext } from './context';

/** Log Analytics keeps 30 to 730 days (interactive retention). */
export function logRetentionDays(configured: number | undefined, prod: boolean): number {
  return Math.min(730, Math.max(30, configured ?? (prod ? 365 : 30)));
}

export interface AzureMonitoringProps {
  context: AzureContext;
  /** Also create Application Insights (the Function App's telemetry). */
  applicationInsights?: boolean;
}

export class AzureMonitoring extends Construct {
  readonly workspace: LogAnalyticsWorkspace;
  readonly applicationInsights?: ApplicationInsights;

  constructor(scope: Construct, id: string, props: AzureMonitoringProps) {
    super(scope, id);
    const { env, resourceGroupName, location, tags, stem } = props.context;
    this.workspace = new LogAnalyticsWorkspace(this, 'workspace', {
      name: `${stem}-logs`,
      resourceGroupName,
      location,
      sku: 'PerGB2018',
      retentionInDays: logRetentionDays(env.monitoring?.logRetentionDays, env.prod),
      tags,
    });
    if (props.applicationInsights) {
      this.applicationInsights = new ApplicationInsights(this, 'insights', {
        name: `${stem}-insights`,
        resourceGroupName,
        location,
        applicationType: 'Node.JS',
        workspaceId: this.workspace.id,
        tags,
      });
    }
  }
}
