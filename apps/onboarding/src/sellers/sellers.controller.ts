import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApproveSellerDto, RegisterSellerDto } from './register-seller.dto';
import { SellersService } from './sellers.service';

@ApiTags('sellers')
@Controller('v1/sellers')
export class SellersController {
  constructor(private readonly sellers: SellersService) {}

  @Post()
  register(@Body() dto: RegisterSellerDto) {
    return this.sellers.register(dto);
  }

  @Post(':id/approve')
  @HttpCode(200)
  approve(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ApproveSellerDto) {
    return this.sellers.approve(id, dto.reviewedBy ?? 'local-reviewer');
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.sellers.get(id);
  }
}
