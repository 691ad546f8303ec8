import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** The approver phone app's side of app approval (AUTH-13). */
@ApiTags('approver')
@Controller('approver')
export class ApproverController {}
