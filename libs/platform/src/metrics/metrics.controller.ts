import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@niryat/auth';
import { prometheusContentType } from 'prom-client';
import { PlatformMetrics } from './platform-metrics';

/** Prometheus text format. Public, as the probes: a scraper carries no credential, and no figure here is personal. */
@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: PlatformMetrics) {}

  @Get()
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
