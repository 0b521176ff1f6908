import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthResponse, ErrorResponse, LoginRequest, RegisterRequest } from '@ordertrack/shared';
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
  @ApiResponse({ status: 201, standardSchema: AuthResponse })
  @ApiResponse({ status: 409, description: 'email already registered', standardSchema: ErrorResponse })
  register(@Body({ schema: RegisterRequest }) body: RegisterRequest): Promise<AuthResponse> {
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
