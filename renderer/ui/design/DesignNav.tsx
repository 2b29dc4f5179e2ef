import { Badge, NavLink } from '@mantine/core';
import { IconBuildingCommunity, IconLink, IconRuler2 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useDesign, type DesignRoute } from './design-context.tsx';
import { EnvironmentPage } from './EnvironmentPage.tsx';
import { LinkPage } from './LinkPage.tsx';
import { PortalAccountPage } from './PortalAccountPage.tsx';
import { ProjectPage } from './ProjectPage.tsx';
import { ProjectsPage } from './ProjectsPage.tsx';
import { ReviewPage } from './ReviewPage.tsx';

const ids = TEST_IDS.design.nav;

/** Design entries: projects for every design role, the software link for designers, the portal account for admins. */
export function DesignNav({ roles, active }: { roles: readonly Role[]; active: boolean }) {
  const { t } = useTranslation();
  const { design, route, open, notices } = useDesign();
  if (!design) return null;
  const openNotices = notices.filter((notice) => !notice.doneAt).length;
  const at = (page: DesignRoute['page']) => active && route.page === page;
  const inProjects = active && ['projects', 'project', 'environment', 'review'].includes(route.page);
  return (
    <NavLink label={t('design.nav.group')} leftSection={<IconRuler2 size={18} />} defaultOpened childrenOffset={12}>
      <NavLink
        label={t('design.nav.projects')}
        leftSection={<IconBuildingCommunity size={16} />}
        rightSection={
          openNotices > 0 ? (
            <Badge size="sm" color="yellow" c="dark" data-testid={ids.notices} data-count={openNotices}>
              {openNotices}
            </Badge>
          ) : undefined
        }
        active={inProjects}
        onClick={() => open({ page: 'projects' })}
        data-testid={ids.projects}
      />
      {(roles.includes('designer') || roles.includes('admin')) && (
        <NavLink label={t('design.nav.link')} leftSection={<IconLink size={16} />} active={at('link')} onClick={() => open({ page: 'link' })} data-testid={ids.link} />
      )}
      {roles.includes('admin') && (
        <NavLink label={t('design.nav.portal')} leftSection={<IconLink size={16} />} active={at('portal')} onClick={() => open({ page: 'portal' })} data-testid={ids.portal} />
      )}
    </NavLink>
  );
}

export function DesignView() {
  const { route, design } = useDesign();
  if (!design) return null;
  switch (route.page) {
    case 'projects':
      return <ProjectsPage />;
    case 'project':
      return <ProjectPage key={route.projectId} projectId={route.projectId} />;
    case 'environment':
      return <EnvironmentPage route={route} />;
    case 'review':
      return <ReviewPage key={route.projectId} projectId={route.projectId} />;
    case 'link':
      return <LinkPage />;
    case 'portal':
      return <PortalAccountPage />;
  }
}
