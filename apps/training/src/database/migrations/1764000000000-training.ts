import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training: what onboarding told us (programmes, sellers, programme enrolments), curricula,
 * institutes, cohorts with their learners and waitlists, sessions, attendance, assessments,
 * module completions and certificates.
 */
export class Training1764000000000 implements MigrationInterface {
  name = 'Training1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const statements = [
      `CREATE TABLE ${s}.programmes (
         id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, version integer NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE ${s}.sellers (
         seller_id uuid PRIMARY KEY, state_code char(2) NOT NULL, status text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE ${s}.programme_enrolments (
         seller_id uuid NOT NULL, programme_id text NOT NULL, status text NOT NULL CHECK (status IN ('enrolled', 'withdrawn')),
         updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (seller_id, programme_id))`,
      `CREATE TABLE ${s}.curricula (
         id text PRIMARY KEY, programme_id text NOT NULL, title text NOT NULL, modules jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE INDEX curricula_programme_idx ON ${s}.curricula (programme_id)`,
      `CREATE TABLE ${s}.institutes (
         id text PRIMARY KEY, name text NOT NULL, state_code char(2), district text)`,
      `CREATE TABLE ${s}.cohorts (
         id uuid PRIMARY KEY, programme_id text NOT NULL, curriculum_id text NOT NULL REFERENCES ${s}.curricula (id),
         institute_id text NOT NULL REFERENCES ${s}.institutes (id), state_code char(2), starts_on date NOT NULL, ends_on date NOT NULL,
         capacity integer NOT NULL CHECK (capacity > 0), created_at timestamptz NOT NULL DEFAULT now(), created_by text NOT NULL,
         CHECK (ends_on >= starts_on))`,
      `CREATE INDEX cohorts_programme_idx ON ${s}.cohorts (programme_id, starts_on)`,
      `CREATE TABLE ${s}.learners (
         cohort_id uuid NOT NULL REFERENCES ${s}.cohorts (id), seller_id uuid NOT NULL, programme_id text NOT NULL,
         status text NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'withdrawn')),
         waitlisted_at timestamptz, enrolled_at timestamptz, enrolled_by text NOT NULL,
         withdrawn_at timestamptz, withdrawn_by text, withdraw_reason text,
         PRIMARY KEY (cohort_id, seller_id))`,
      // A seller is in at most one cohort of a programme at a time (enrolled or waiting).
      `CREATE UNIQUE INDEX learners_one_active_idx ON ${s}.learners (seller_id, programme_id) WHERE status IN ('enrolled', 'waitlisted')`,
      `CREATE TABLE ${s}.pending_invitations (
         seller_id uuid NOT NULL, programme_id text NOT NULL, since timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (seller_id, programme_id))`,
      `CREATE TABLE ${s}.sessions (
         id uuid PRIMARY KEY, cohort_id uuid NOT NULL REFERENCES ${s}.cohorts (id), module_code text NOT NULL, held_on date NOT NULL,
         created_by text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE ${s}.attendance (
         session_id uuid NOT NULL REFERENCES ${s}.sessions (id), seller_id uuid NOT NULL, recorded_by text NOT NULL,
         recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (session_id, seller_id))`,
      `CREATE TABLE ${s}.assessments (
         cohort_id uuid NOT NULL, seller_id uuid NOT NULL, module_code text NOT NULL, score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
         recorded_by text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (cohort_id, seller_id, module_code))`,
      `CREATE TABLE ${s}.module_completions (
         cohort_id uuid NOT NULL, seller_id uuid NOT NULL, module_code text NOT NULL, score integer, completed_at timestamptz NOT NULL,
         PRIMARY KEY (cohort_id, seller_id, module_code))`,
      `CREATE TABLE ${s}.certificates (
         number text PRIMARY KEY, seller_id uuid NOT NULL, programme_id text NOT NULL, cohort_id uuid NOT NULL REFERENCES ${s}.cohorts (id),
         state_code char(2) NOT NULL, awarded_at timestamptz NOT NULL, UNIQUE (seller_id, programme_id))`,
      `CREATE TABLE ${s}.certificate_serials (
         programme_id text NOT NULL, year integer NOT NULL, last_serial integer NOT NULL, PRIMARY KEY (programme_id, year))`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of [
      'certificate_serials', 'certificates', 'module_completions', 'assessments', 'attendance', 'sessions', 'pending_invitations',
      'learners', 'cohorts', 'institutes', 'curricula', 'programme_enrolments', 'sellers', 'programmes',
    ]) {
      await queryRunner.query(`DROP TABLE ${s}.${table}`);
    }
  }
}
