import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@niryat/auth';
import { CatalogueService } from './catalogue.service';

@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('v1')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get('curricula')
  @Roles('reviewer', 'registrant', 'analyst', 'partner')
  async curricula(@Query('programmeId') programmeId?: string) {
    return { items: await this.catalogue.curricula(programmeId) };
  }

  @Get('institutes')
  @Roles('reviewer', 'registrant', 'analyst', 'partner')
  async institutes() {
    return { items: await this.catalogue.institutes() };
  }
}
