import { http, seg, type PageQuery, type Paged } from './http';
import type { Role, User } from './auth';

export interface UserQuery extends PageQuery {
  org_code?: string;
  q?: string;
  role?: Role | '';
}

export interface CreateUserRequest {
  username: string;
  display_name: string;
  role: Role;
  org_code: string;
  classes?: string[];
}

/** The answer to a creation: the initial password is shown once and never again. */
export interface CreateUserResponse {
  user: User;
  initial_password: string;
  totp_secret?: string;
  totp_uri?: string;
}

export interface UpdateUserRequest {
  display_name?: string;
  role?: Role;
  active?: boolean;
  classes?: string[];
}

export function listUsers(query: UserQuery = {}): Promise<Paged<User>> {
  return http.get<Paged<User>>('/users', { ...query });
}

export function createUser(req: CreateUserRequest): Promise<CreateUserResponse> {
  return http.post<CreateUserResponse>('/users', req);
}

export function updateUser(id: number, req: UpdateUserRequest): Promise<User> {
  return http.patch<User>(`/users/${seg(id)}`, req);
}

export function resetPassword(id: number): Promise<{ initial_password: string }> {
  return http.post<{ initial_password: string }>(`/users/${seg(id)}/reset-password`);
}

export function unlockUser(id: number): Promise<User> {
  return http.post<User>(`/users/${seg(id)}/unlock`);
}
