import { Role } from './roles';

/** Who is calling: the credential's id (safe to log), its role and, for partners, the marketplace. */
export interface Principal {
  id: string;
  role: Role;
  scope?: string;
}

/** The guard puts the authenticated principal on the request; `@CurrentPrincipal()` reads it back. */
export interface RequestWithPrincipal {
  principal?: Principal;
}
