import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthResponse, ErrorResponse, LoginRequest, RegisterAccepted, RegisterRequest } from '@ordertrack/shared';
import { LoginService } from '../../application/auth/login.service.js';
import { RegisterService } from '../../application/auth/register.service.js';
import { Public } from '../auth/auth.decorators.js';

@ApiTags('auth')
@Public()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly registerService: RegisterService,
    private readonly loginService: LoginService,
  ) {}

  @Post('register')
  @HttpCode(202)
  @ApiResponse({
    status: 202,
    description: 'the same answer whether or not the email already had an account; sign in next',
    standardSchema: RegisterAccepted,
  })
  register(@Body({ schema: RegisterRequest }) body: RegisterRequest): Promise<RegisterAccepted> {
    return this.registerService.register(body);
  }

  @Post('login')
  @HttpCode(200)
  @ApiResponse({ status: 200, standardSchema: AuthResponse })
  @ApiResponse({ status: 401, description: 'wrong email or password', standardSchema: ErrorResponse })
  login(@Body({ schema: LoginRequest }) body: LoginRequest): Promise<AuthResponse> {
    return this.loginService.login(body);
  }
}
