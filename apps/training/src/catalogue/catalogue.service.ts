import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SEED_CURRICULA } from '../rules/seed-curricula';
import { SEED_INSTITUTES } from '../rules/institutes';

/** Curricula and institutes: the seeds are defined at boot when missing (several replicas: once). */
@Injectable()
export class CatalogueService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogueService.name);

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const institute of SEED_INSTITUTES) {
      await this.dataSource.query(`INSERT INTO institutes (id, name, state_code, district) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`, [
        institute.id,
        institute.name,
        institute.stateCode ?? null,
        institute.district ?? null,
      ]);
    }
    for (const curriculum of SEED_CURRICULA) {
      const inserted: unknown[] = await this.dataSource.query(
        `INSERT INTO curricula (id, programme_id, title, modules) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [curriculum.id, curriculum.programmeId, curriculum.title, JSON.stringify(curriculum.modules)],
      );
      if (inserted.length > 0) this.logger.log(`seeded curriculum ${curriculum.id}`);
    }
  }

  async curricula(programmeId?: string) {
    return this.dataSource.query(
      `SELECT id, programme_id AS "programmeId", title, modules FROM curricula WHERE ($1::text IS NULL OR programme_id = $1) ORDER BY id`,
      [programmeId ?? null],
    );
  }

  async institutes() {
    return this.dataSource.query(`SELECT id, name, state_code AS "stateCode", district FROM institutes ORDER BY id`);
  }
}
