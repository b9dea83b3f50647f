import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Controller, Get, Header, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@niryat/auth';
import { NotFoundError } from '@niryat/platform';
import type { Response } from 'express';

interface Asset {
  file: string;
  contentType: string;
}

/**
 * The page's files. tsc copies nothing but TypeScript into dist/, so a compiled controller finds
 * them beside itself only if something put them there, and otherwise in the sources, from
 * dist/apps/reporting/src/dashboard up to the repository root.
 */
function pageDirectory(): string {
  const candidates = [__dirname, resolve(__dirname, '..', '..', '..', '..', '..', 'apps', 'reporting', 'src', 'dashboard')];
  const found = candidates.find((dir) => existsSync(join(dir, 'dashboard.html')));
  if (!found) throw new Error(`dashboard files not found in ${candidates.join(' or ')}`);
  return found;
}

/** Chart.js from node_modules, as published (its UMD build defines `window.Chart`): no build step. */
function chartJsFile(): string {
  // The package's `exports` map hides dist/*, but its main entry lives there.
  return join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}

const ASSETS: Record<string, () => Asset> = {
  'dashboard.js': () => ({ file: join(pageDirectory(), 'dashboard.js'), contentType: 'text/javascript; charset=utf-8' }),
  'dashboard.css': () => ({ file: join(pageDirectory(), 'dashboard.css'), contentType: 'text/css; charset=utf-8' }),
  'chart.umd.min.js': () => ({ file: chartJsFile(), contentType: 'text/javascript; charset=utf-8' }),
};

/**
 * Everything the page loads comes from here; it fetches its data from the report API with the
 * analyst's token, which stays in the browser (URL fragment, then sessionStorage).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The reporting dashboard: one HTML page, its script and stylesheet, and Chart.js. Public, because
 * the page holds no data: the numbers come from the report API, which needs the analyst role.
 */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  private readonly cache = new Map<string, Buffer>();

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-cache')
  page(): StreamableFile {
    return new StreamableFile(this.read(join(pageDirectory(), 'dashboard.html')));
  }

  @Get(':asset')
  @Header('Cache-Control', 'no-cache')
  @Header('X-Content-Type-Options', 'nosniff')
  asset(@Param('asset') name: string, @Res({ passthrough: true }) response: Response): StreamableFile {
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name]() : undefined;
    if (!asset) throw new NotFoundError('REPORTING.DASHBOARD_ASSET_NOT_FOUND', `no dashboard file ${name}`, { asset: name });
    response.setHeader('Content-Type', asset.contentType);
    return new StreamableFile(this.read(asset.file));
  }

  /** Files are read once per process: they change only with a deployment. */
  private read(file: string): Buffer {
    let content = this.cache.get(file);
    if (!content) {
      content = readFileSync(file);
      this.cache.set(file, content);
    }
    return content;
  }
}
