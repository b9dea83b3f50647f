import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@niryat/auth';
import { DefineProgrammeDto, UpdateProgrammeDto } from './programme.dto';
import { ProgrammesService } from './programmes.service';

@ApiTags('programmes')
@ApiBearerAuth()
@Controller('v1/programmes')
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammesService) {}

  @Get()
  @Roles('registrant', 'reviewer', 'partner', 'analyst')
  list() {
    return this.programmes.list().then((items) => ({ items }));
  }

  @Get(':id')
  @Roles('registrant', 'reviewer', 'partner', 'analyst')
  get(@Param('id') id: string) {
    return this.programmes.get(id);
  }

  @Post()
  @Roles('operator')
  define(@Body() dto: DefineProgrammeDto, @CurrentPrincipal() principal: Principal) {
    return this.programmes.define(dto, principal.id);
  }

  @Put(':id')
  @Roles('operator')
  update(@Param('id') id: string, @Body() dto: UpdateProgrammeDto, @CurrentPrincipal() principal: Principal) {
    return this.programmes.update(id, dto, principal.id);
  }
}
