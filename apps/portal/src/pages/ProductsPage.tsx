import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, ErrorNotice, Loading } from '../components/Notice';
import { describeProblem } from '../errors';
import { DownloadsList } from '../products/DownloadsList';
import { InstallationsList } from '../products/InstallationsList';
import { LicensesList } from '../products/LicensesList';
import { WorkspacesList } from '../products/WorkspacesList';
import { useTRPC } from '../trpc';

const TABS = [
  { id: 'workspaces', label: 'Workspaces' },
  { id: 'installations', label: 'Installations' },
  { id: 'licenses', label: 'Licences' },
  { id: 'downloads', label: 'Downloads' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/**
 * `/products` (seed 003 §7.1): what the customer owns of the marketplace's kinds, a tab for
 * each kind they have (workspaces, installations, licences, downloads), each item with its
 * actions.
 */
export function ProductsPage() {
  const trpc = useTRPC();
  const products = useQuery({ ...trpc.products.mine.queryOptions(), refetchInterval: 15_000 });
  const [picked, setPicked] = useState<Tab | null>(null);

  if (products.isPending) return <Loading what="your products" />;
  if (products.isError) {
    return <ErrorNotice retry={() => products.refetch()}>{describeProblem(products.error).message}</ErrorNotice>;
  }
  const data = products.data;
  const tabs = TABS.filter((tab) => data[tab.id].length > 0);
  const current = tabs.find((tab) => tab.id === picked) ?? tabs[0];

  return (
    <section>
      <h1>My products</h1>
      {!current ? (
        <Empty>You have no workspaces, installations, licences or downloads yet.</Empty>
      ) : (
        <>
          <div role="tablist" aria-label="Kinds of products" className="tabs">
            {tabs.map((tab) => (
              <button
                key={tab.id}
                type="button"
                role="tab"
                id={`tab-${tab.id}`}
                aria-selected={tab.id === current.id}
                aria-controls={`panel-${tab.id}`}
                className={tab.id === current.id ? 'tab tab-current' : 'tab'}
                onClick={() => setPicked(tab.id)}
              >
                {tab.label} <span className="muted">({data[tab.id].length})</span>
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`}>
            {current.id === 'workspaces' ? <WorkspacesList workspaces={data.workspaces} /> : null}
            {current.id === 'installations' ? <InstallationsList installations={data.installations} /> : null}
            {current.id === 'licenses' ? <LicensesList licenses={data.licenses} /> : null}
            {current.id === 'downloads' ? <DownloadsList downloads={data.downloads} /> : null}
          </div>
        </>
      )}
    </section>
  );
}
